// `show interfaces counters` and the dataplane commands that attach/detach the counter program.
import { hostname } from 'node:os';
import {
  attachInterfaceCounters,
  detachInterfaceCounters,
  interfaceCountersAttached,
  readInterfaceCounters,
} from '../native/interfaceCounters.js';
import * as ip from '../platform/ip.js';
import { renderTable } from './table.js';

/** The bpffs instance of this router: TANDEM_INSTANCE (set by the lab), else the host name. */
export function instanceName(): string {
  return process.env.TANDEM_INSTANCE ?? hostname();
}

async function namedInterfaces(ifnames: readonly string[]): Promise<string[]> {
  if (ifnames.length) return [...ifnames];
  return (await ip.links()).filter((l) => l.ifname !== 'lo').map((l) => l.ifname);
}

export async function attachCountersCommand(ifnames: readonly string[]): Promise<string> {
  const names = await namedInterfaces(ifnames);
  await attachInterfaceCounters(instanceName(), names);
  return `counters attached on ${names.join(', ')}`;
}

export async function detachCountersCommand(ifnames: readonly string[]): Promise<string> {
  const names = await namedInterfaces(ifnames);
  detachInterfaceCounters(names);
  return `counters detached from ${names.join(', ')}`;
}

export async function showInterfaceCounters(json: boolean): Promise<string> {
  const ifs = (await ip.links()).filter((l) => l.ifname !== 'lo');
  const counters = readInterfaceCounters(instanceName(), ifs).map((c) => ({
    ...c,
    attached: interfaceCountersAttached(c.ifname),
  }));
  if (json) return JSON.stringify({ interfaces: counters }, null, 2);
  return renderTable(
    ['Interface', 'RX packets', 'RX bytes', 'TX packets', 'TX bytes', 'Counting'],
    counters.map((c) => [
      c.ifname,
      c.rxPackets,
      c.rxBytes,
      c.txPackets,
      c.txBytes,
      c.attached ? 'yes' : 'no',
    ]),
  );
}
