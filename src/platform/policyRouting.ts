// Policy routing of the namespace tandemd runs in: fwmark rules and private routing tables.
import { run } from './run.js';

export interface PolicyRule {
  priority: number;
  fwmark?: string;
  fwmask?: string;
  table?: string;
}

export interface TableRoute {
  /** `default` or a prefix. */
  dst: string;
  dev: string;
  via?: string;
  /** Preferred source address. */
  src?: string;
  /** `link` for connected prefixes. */
  scope?: 'link';
}

export async function policyRules(): Promise<PolicyRule[]> {
  const { stdout } = await run(['ip', '-4', '-json', 'rule', 'show']);
  return JSON.parse(stdout) as PolicyRule[];
}

/** Adds `fwmark mark/mask lookup table` at priority, replacing whatever rule held that priority. */
export async function fwmarkRuleSet(
  priority: number,
  mark: number,
  mask: number,
  table: number,
): Promise<void> {
  await fwmarkRuleDelete(priority);
  await run([
    'ip',
    '-4',
    'rule',
    'add',
    'priority',
    String(priority),
    'fwmark',
    `0x${mark.toString(16)}/0x${mask.toString(16)}`,
    'lookup',
    String(table),
  ]);
}

export async function fwmarkRuleDelete(priority: number): Promise<void> {
  // Several rules may share a priority after a crash between add and delete: remove them all.
  for (let i = 0; i < 8; i++) {
    const r = await run(['ip', '-4', 'rule', 'del', 'priority', String(priority)], { allowFailure: true });
    if (r.code !== 0) return;
  }
}

function routeArgs(r: TableRoute): string[] {
  const args = [r.dst];
  if (r.via) args.push('via', r.via);
  args.push('dev', r.dev);
  if (r.scope) args.push('scope', r.scope);
  if (r.src) args.push('src', r.src);
  return args;
}

/**
 * Makes table hold exactly `routes`, in one `ip -batch` run: stale routes go, the rest are replaced
 * in place so traffic using the table never sees it empty.
 */
export async function tableSet(table: number, routes: readonly TableRoute[]): Promise<void> {
  const { stdout } = await run(['ip', '-4', '-json', 'route', 'show', 'table', String(table)], {
    allowFailure: true,
  });
  // A table that does not exist yet answers with an error and no (or broken) JSON.
  let current: { dst: string }[] = [];
  try {
    current = JSON.parse(stdout) as { dst: string }[];
  } catch {
    current = [];
  }
  const wanted = new Set(routes.map((r) => r.dst));
  const lines = [
    ...current.filter((c) => !wanted.has(c.dst)).map((c) => `route del ${c.dst} table ${table}`),
    ...routes.map((r) => `route replace ${routeArgs(r).join(' ')} table ${table}`),
  ];
  if (lines.length) await run(['ip', '-4', '-force', '-batch', '-'], { input: lines.join('\n') + '\n' });
}

export async function tableFlush(table: number): Promise<void> {
  await run(['ip', '-4', 'route', 'flush', 'table', String(table)], { allowFailure: true });
}
