// The forwarding fast path: while `system fast-path` is not disabled, the eBPF forwarder sits on
// the ingress of every configured ethernet interface. If the kernel refuses the program (no
// conntrack kfuncs, a verifier rejection) forwarding stays on the normal path and the reason is
// logged and shown; a commit never fails for it.
import { access, readFile } from 'node:fs/promises';
import { featureLogger } from '../../log.js';
import {
  attachFastPath,
  detachFastPath,
  type FastPathTimeouts,
  fastPathAttached,
  readFastPathCounters,
  readFastPathFlows,
} from '../../native/fastPath.js';
import * as ip from '../../platform/ip.js';
import { loadModule } from '../../platform/kernelModules.js';
import { sysctlSetHere } from '../../platform/sysctl.js';
import type { Feature, FeatureHost } from '../feature.js';
import { ethernetsOf } from '../interfaces/apply.js';
import { fastPathEnabled, registerFastPathSchema } from './schema.js';
import type { FastPathFlowRow, FastPathState, FastPathStatus } from './status.js';

/** Interfaces re-created under a configured name get the program back within this. */
const REATTACH_MS = 5000;
const REFRESH_MS = 1000;
/** How long what conntrack and routing said about a direction is trusted (docs/fast-path.md). */
const RECHECK_MS = 100;
const NETFILTER = '/proc/sys/net/netfilter';
const BE_LIBERAL = 'net.netfilter.nf_conntrack_tcp_be_liberal';

async function netfilterSeconds(name: string): Promise<number> {
  return Number((await readFile(`${NETFILTER}/${name}`, 'utf8')).trim());
}

/** The kernel's own timeouts, so a refreshed connection lives exactly as the stack would keep it. */
export async function conntrackTimeouts(): Promise<FastPathTimeouts> {
  const [tcp, udp, udpStream] = await Promise.all(
    [
      'nf_conntrack_tcp_timeout_established',
      'nf_conntrack_udp_timeout',
      'nf_conntrack_udp_timeout_stream',
    ].map(netfilterSeconds),
  );
  return {
    tcpEstablishedMs: tcp! * 1000,
    udpMs: udp! * 1000,
    udpStreamMs: udpStream! * 1000,
    refreshMs: REFRESH_MS,
    recheckMs: RECHECK_MS,
  };
}

async function beLiberal(): Promise<boolean> {
  return (await netfilterSeconds('nf_conntrack_tcp_be_liberal').catch(() => 0)) === 1;
}

/** Whether connection tracking is there (loading it on a modular kernel): the fast path's source of truth. */
async function conntrackPresent(): Promise<boolean> {
  const here = () =>
    access(`${NETFILTER}/nf_conntrack_tcp_be_liberal`).then(
      () => true,
      () => false,
    );
  if (await here()) return true;
  await loadModule('nf_conntrack');
  return here();
}

export function createFastPathFeature(): Feature {
  const log = featureLogger('fast-path');
  let instance = '';
  let state: FastPathState = 'disabled';
  let reason: string | null = null;
  let wanted: string[] = [];
  let liberalBefore: boolean | undefined;
  let timer: NodeJS.Timeout | undefined;

  const present = async (names: readonly string[]) => {
    const have = new Set((await ip.links()).map((l) => l.ifname));
    return names.filter((n) => have.has(n));
  };

  const attach = async (ifnames: readonly string[]) => {
    try {
      await attachFastPath(instance, ifnames, await conntrackTimeouts());
      if (state !== 'active') log.info(`fast path active on ${ifnames.join(', ') || 'no interface yet'}`);
      state = 'active';
      reason = null;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (state !== 'unavailable' || reason !== message)
        log.warn(`fast path unavailable, forwarding on the normal path: ${message}`);
      state = 'unavailable';
      reason = message;
      detachFastPath(await present(ifnames));
    }
  };

  const reattach = async () => {
    if (state !== 'active') return;
    const missing = (await present(wanted)).filter((n) => !fastPathAttached(n));
    if (missing.length) await attach(missing);
  };

  return {
    name: 'fast-path',
    after: ['system', 'interfaces'],
    registerSchema: registerFastPathSchema,
    async apply(prev, next, ctx) {
      instance = ctx.instance;
      const before = Object.keys(ethernetsOf(prev));
      const after = Object.keys(ethernetsOf(next));
      if (!fastPathEnabled(next)) {
        detachFastPath(await present([...new Set([...before, ...after])]));
        if (liberalBefore === false) await sysctlSetHere({ [BE_LIBERAL]: '0' });
        liberalBefore = undefined;
        if (state !== 'disabled') log.info('fast path disabled');
        state = 'disabled';
        reason = null;
        wanted = [];
        return;
      }
      if (!(await conntrackPresent())) {
        const message = 'the kernel has no connection tracking (nf_conntrack)';
        if (state !== 'unavailable')
          log.warn(`fast path unavailable, forwarding on the normal path: ${message}`);
        state = 'unavailable';
        reason = message;
        wanted = after;
        return;
      }
      // Conntrack no longer sees the packets between a connection's SYN and FIN, so its TCP
      // window would be stale: without this the FIN looks out of window and leaves un-NATed.
      liberalBefore ??= await beLiberal();
      if (!liberalBefore) await sysctlSetHere({ [BE_LIBERAL]: '1' });
      detachFastPath(await present(before.filter((n) => !after.includes(n))));
      wanted = after;
      await attach(await present(after));
      timer ??= setInterval(
        () => void reattach().catch((e) => log.warn(`fast path re-attach: ${String(e)}`)),
        REATTACH_MS,
      );
    },
    attach(host: FeatureHost) {
      host.rpc.register('fastpath.status', async (): Promise<FastPathStatus> => {
        const names = wanted.length ? wanted : Object.keys(ethernetsOf(host.running()));
        const exist = new Set(await present(names));
        return {
          state,
          reason,
          interfaces: names.map((name) => ({ name, attached: exist.has(name) && fastPathAttached(name) })),
          tcpBeLiberal: await beLiberal(),
          counters: readFastPathCounters(instance),
        };
      });
      host.rpc.register('fastpath.flows', (): { flows: FastPathFlowRow[] } => {
        const now = process.hrtime.bigint();
        return {
          flows: readFastPathFlows(instance).map(({ lastNs, ...f }) => ({
            ...f,
            idleSeconds: Math.max(0, Number(now - lastNs) / 1e9),
          })),
        };
      });
    },
    async shutdown() {
      // The program stays attached: forwarding goes on while tandemd restarts.
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}
