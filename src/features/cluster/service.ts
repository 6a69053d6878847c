// The value grammar of `cluster group <g> service` (spec clustering.md §2.3): a cluster IP address
// `a.b.c.d/len[/ifname[/broadcast]]`, a named service, or a resource script `script::arg…`.
import { notUnicastHost, parsePrefix } from '../../net/ipAddress.js';

export type ClusterService =
  | {
      kind: 'address';
      value: string;
      address: string;
      prefix: number;
      ifname: string;
      broadcast: string | null;
    }
  | { kind: 'named'; value: string; name: string }
  | { kind: 'script'; value: string; script: string; args: string[] };

/** The interface a cluster address goes on when the value names none (the guide's default). */
export const DEFAULT_SERVICE_INTERFACE = 'eth0';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const IFNAME = /^[a-z][a-z0-9._-]{0,14}$/;

export function invalidServiceMessage(value: string): string {
  return `"${value}" is not a valid IP address (with subnet mask length) or service name`;
}

export function parseClusterService(value: string): { ok: ClusterService } | { error: string } {
  if (/^[0-9.]+(\/|$)/.test(value)) {
    const [address, len, ifname, broadcast, extra] = value.split('/');
    const ip = parsePrefix(address!);
    const prefix = len !== undefined && /^[0-9]{1,2}$/.test(len) ? Number(len) : NaN;
    if (
      ip?.family !== 4 ||
      !(prefix >= 1 && prefix <= 32) ||
      notUnicastHost({ ...ip, length: undefined }) ||
      (ifname !== undefined && !IFNAME.test(ifname)) ||
      (broadcast !== undefined && parsePrefix(broadcast)?.family !== 4) ||
      extra !== undefined
    )
      return { error: invalidServiceMessage(value) };
    return {
      ok: {
        kind: 'address',
        value,
        address: ip.address,
        prefix,
        ifname: ifname ?? DEFAULT_SERVICE_INTERFACE,
        broadcast: broadcast ?? null,
      },
    };
  }
  if (value.includes('::')) {
    const [script, ...args] = value.split('::');
    if (!NAME.test(script!) || args.some((a) => a.length === 0))
      return { error: invalidServiceMessage(value) };
    return { ok: { kind: 'script', value, script: script!, args } };
  }
  if (!NAME.test(value)) return { error: invalidServiceMessage(value) };
  return { ok: { kind: 'named', value, name: value } };
}

/** How `show cluster status` names a resource: the bare address, or the service's name. */
export function resourceLabel(s: ClusterService): string {
  return s.kind === 'address' ? s.address : s.kind === 'named' ? s.name : s.script;
}
