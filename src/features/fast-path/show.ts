// `show system fast-path [flows]`: human layouts of the status and connection table.
import { renderTable } from '../../cli/table.js';
import { FAST_PATH_REASONS } from '../../native/fastPath.js';
import type { FastPathFlowRow, FastPathStatus } from './status.js';

const PROTOCOLS: Record<number, string> = { 6: 'tcp', 17: 'udp' };

export function renderFastPathStatus(s: FastPathStatus): string {
  const attached = s.interfaces.filter((i) => i.attached).map((i) => i.name);
  const missing = s.interfaces.filter((i) => !i.attached).map((i) => i.name);
  const head = [
    `Fast path: ${s.state}${s.reason ? ` (${s.reason.split('\n')[0]})` : ''}`,
    `  Interfaces: ${attached.join(', ') || 'none'}${missing.length && s.state === 'active' ? ` (not attached: ${missing.join(', ')})` : ''}`,
    `  TCP window tracking: ${s.tcpBeLiberal ? 'liberal' : 'strict'}`,
    '',
  ];
  const rows = FAST_PATH_REASONS.map((r, i) => [
    i === 0 ? 'forwarded' : `to stack: ${r}`,
    s.counters[r].packets,
    s.counters[r].bytes,
  ]);
  return [...head, renderTable(['Packets', 'Count', 'Bytes'], rows)].join('\n');
}

export function renderFastPathFlows(flows: readonly FastPathFlowRow[]): string {
  const endpoint = (f: FastPathFlowRow, addr: string, port: number) =>
    f.family === 6 ? `[${addr}]:${port}` : `${addr}:${port}`;
  const sorted = [...flows].sort((a, b) => a.idleSeconds - b.idleSeconds);
  return renderTable(
    ['Proto', 'Source', 'Destination', 'Packets', 'Bytes', 'Reply packets', 'Reply bytes', 'Idle (s)'],
    sorted.map((f) => [
      PROTOCOLS[f.protocol] ?? String(f.protocol),
      endpoint(f, f.source, f.sourcePort),
      endpoint(f, f.destination, f.destinationPort),
      f.packets[0],
      f.bytes[0],
      f.packets[1],
      f.bytes[1],
      Math.round(f.idleSeconds),
    ]),
  );
}
