// Names and paths of a lab on this machine. Every namespace name starts with `tandem-`, so a
// sweep can find what a crashed run left behind without touching anything else.
import { join } from 'node:path';

export const LAB_RUN_DIR = '/run/tandem-lab';
export const NS_PREFIX = 'tandem-';

/** The operator's lab (`tandem lab up`), kept until `tandem lab down`. */
export const OPERATOR_LAB = 'lab';

/** A per-run lab name for tests: owned by this process, swept once the process is gone. */
export function testLabName(pid = process.pid, seq = 0): string {
  return `t${pid}x${seq}`;
}

/** The PID that owns a test lab, or undefined for labs that are not per-run. */
export function testLabOwner(lab: string): number | undefined {
  const m = /^t(\d+)x\d+$/.exec(lab);
  return m ? Number(m[1]) : undefined;
}

export function nsName(lab: string, node: string): string {
  return `${NS_PREFIX}${lab}-${node}`;
}

/** The lab a namespace belongs to, if it is one of ours. */
export function labOfNs(ns: string): string | undefined {
  if (!ns.startsWith(NS_PREFIX)) return undefined;
  const rest = ns.slice(NS_PREFIX.length);
  const dash = rest.lastIndexOf('-');
  return dash > 0 ? rest.slice(0, dash) : undefined;
}

export function labDir(lab: string): string {
  return join(LAB_RUN_DIR, lab);
}

export function nodeDir(lab: string, node: string): string {
  return join(labDir(lab), node);
}
