// `show vrrp …` and `reset vrrp master …`: tandemd's VRRP status rendered as the guide's layouts.
import {
  NOT_RUNNING,
  renderVrrpDetail,
  renderVrrpStatistics,
  renderVrrpSummary,
  renderVrrpSyncGroups,
  renderVrrpVipSummary,
} from '../features/vrrp/show.js';
import type { VrrpStatus } from '../features/vrrp/status.js';
import {
  renderVrrpInterfaceDetail,
  renderVrrpInterfaces,
  type VrrpInterfaceStatus,
} from '../features/vrrp/vrrpInterfaces.js';
import type { RpcClient } from './rpcClient.js';
import { renderTable } from './table.js';
import { UsageError } from './usage.js';

const USAGE =
  'usage: show vrrp [detail | summary | interface <if> [group <id>] | statistics [interface <if> [group <id>]] | sync-group [group <name>]] [--json]';

/** `interface <if> [group <id>]` at the start of words. */
function filterOf(words: string[]): { ifname?: string; group?: number } {
  if (words.length === 0) return {};
  if (
    words[0] !== 'interface' ||
    !words[1] ||
    (words.length > 2 && (words[2] !== 'group' || !/^\d+$/.test(words[3] ?? '')))
  ) {
    throw new UsageError(USAGE);
  }
  return { ifname: words[1], ...(words[3] ? { group: Number(words[3]) } : {}) };
}

function filtered(status: VrrpStatus, f: { ifname?: string; group?: number }): VrrpStatus | string {
  if (!f.ifname) return status;
  // An interface includes its vifs (eth1 shows eth1.4001).
  const onIf = status.groups.filter(
    (g) => g.interface === f.ifname || g.interface.startsWith(`${f.ifname}.`),
  );
  if (!onIf.length) return `VRRP is not running on ${f.ifname}`;
  const groups = f.group === undefined ? onIf : onIf.filter((g) => g.group === f.group);
  if (!groups.length) return `No VRRP group ${f.group} exists on ${f.ifname}`;
  return {
    ...status,
    groups,
    interfaces: status.interfaces.filter((i) => groups.some((g) => g.interface === i.interface)),
  };
}

export async function showVrrp(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const status = await client.call<VrrpStatus>('vrrp.status');
  const [what, ...rest] = words;
  if (!status.groups.length) return json ? JSON.stringify(status, null, 2) : NOT_RUNNING;
  switch (what) {
    case undefined:
      return json ? JSON.stringify({ groups: status.groups }, null, 2) : renderVrrpSummary(status);
    case 'detail':
      return json ? JSON.stringify({ groups: status.groups }, null, 2) : renderVrrpDetail(status.groups);
    case 'interface': {
      const s = filtered(status, filterOf(words));
      if (typeof s === 'string') return s;
      return json ? JSON.stringify({ groups: s.groups }, null, 2) : renderVrrpDetail(s.groups);
    }
    case 'statistics': {
      const f = filterOf(rest);
      const s = filtered(status, f);
      if (typeof s === 'string') return s;
      if (json) {
        return JSON.stringify(
          {
            groups: s.groups.map((g) => ({ interface: g.interface, group: g.group, ...g.counters })),
            interfaces: s.interfaces,
          },
          null,
          2,
        );
      }
      return renderVrrpStatistics(s, f.ifname !== undefined && f.group === undefined);
    }
    case 'sync-group': {
      const name = rest[0] === 'group' ? rest[1] : undefined;
      if (rest.length && !name) throw new UsageError(USAGE);
      const syncGroups = name ? status.syncGroups.filter((s) => s.name === name) : status.syncGroups;
      if (name && !syncGroups.length) return `Sync-group: ${name} does not exist`;
      return json ? JSON.stringify({ syncGroups }, null, 2) : renderVrrpSyncGroups({ ...status, syncGroups });
    }
    case 'summary': {
      const rows = renderVrrpVipSummary(status, () => true);
      if (json) return JSON.stringify({ addresses: rows }, null, 2);
      return renderTable(
        ['Interface', 'VRRP Group', 'Addr Type', 'Address', 'Interface State', 'Address Owner', 'VRRP State'],
        rows,
      );
    }
    default:
      throw new UsageError(USAGE);
  }
}

/** `show interfaces vrrp [<vrrp-if> | detail]` (§3.8). */
export async function showInterfacesVrrp(client: RpcClient, words: string[], json: boolean): Promise<string> {
  const { interfaces } = await client.call<{ interfaces: VrrpInterfaceStatus[] }>('vrrp.interfaces');
  const [which] = words;
  const list = which && which !== 'detail' ? interfaces.filter((i) => i.name === which) : interfaces;
  if (which && which !== 'detail' && !list.length) return `${which} is not a VRRP interface`;
  if (json) return JSON.stringify({ interfaces: list }, null, 2);
  return which ? renderVrrpInterfaceDetail(list) : renderVrrpInterfaces(list);
}

/** `reset vrrp master …` or `reset vrrp statistics [interface <if> [group <id>]]`. */
export async function resetVrrp(client: RpcClient, words: string[]): Promise<string> {
  if (words[0] === 'statistics') {
    const f = filterOf(words.slice(1));
    const r = await client.call<{ groups: number }>('vrrp.resetStatistics', {
      ...(f.ifname ? { interface: f.ifname } : {}),
      ...(f.group !== undefined ? { group: f.group } : {}),
    });
    return `VRRP statistics reset (${r.groups} group${r.groups === 1 ? '' : 's'})`;
  }
  return resetVrrpMaster(client, words);
}

export async function restartVrrp(client: RpcClient, words: string[]): Promise<string> {
  if (words.length > 1 || (words[0] && words[0] !== 'process'))
    throw new UsageError('usage: restart vrrp [process]');
  return (await client.call<{ message: string }>('vrrp.restart')).message;
}

async function resetVrrpMaster(client: RpcClient, words: string[]): Promise<string> {
  // reset vrrp master interface <if> group <id>
  if (
    words[0] !== 'master' ||
    words[1] !== 'interface' ||
    !words[2] ||
    words[3] !== 'group' ||
    !/^\d+$/.test(words[4] ?? '')
  ) {
    throw new UsageError('usage: reset vrrp master interface <if> group <group-id>');
  }
  const r = await client.call<{ message: string }>('vrrp.resetMaster', {
    interface: words[2],
    group: Number(words[4]),
  });
  return r.message;
}
