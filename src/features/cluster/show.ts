// `show cluster status` (spec clustering.md §3.2): the guide's layout.
import type { ClusterStatus } from './status.js';

const MONITOR_TEXT: Record<string, string> = {
  reachable: 'Reachable',
  unreachable: 'Unreachable',
  unknown: 'Unknown',
  initializing: 'Initializing',
  transition: 'Node status in transition',
};

export function renderClusterStatus(s: ClusterStatus): string {
  if (!s.configured || !s.thisNode || !s.peer || !s.resources) return 'Clustering is not configured';
  const self = s.thisNode;
  const peer = s.peer;
  const nodeLine = (role: 'primary' | 'secondary') => {
    const mine = self.role === role;
    const name = mine ? self.name : peer.name;
    const label = role === 'primary' ? 'Primary' : 'Secondary';
    return `${label} ${name}${mine ? ' (this node)' : ''}: ${mine ? self.display : peer.display}`;
  };
  const lines = [
    `=== Status report on ${self.role} node ${self.name} ===`,
    '',
    nodeLine('primary'),
    '',
    nodeLine('secondary'),
    '',
  ];
  if (s.monitors?.length) {
    for (const m of s.monitors) lines.push(`Monitor ${m.address}: ${MONITOR_TEXT[m.state] ?? 'Unknown'}`);
    lines.push('');
  }
  lines.push(`Resources [${s.resources.list.join(' ')}]:`, `  ${s.resources.display}`);
  return lines.join('\n');
}
