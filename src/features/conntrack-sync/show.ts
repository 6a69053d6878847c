// Human layouts of `show conntrack-sync status` (spec §3.2).
import { ctimeLayout } from '../ctime.js';
import type { CtsyncStatus } from './index.js';

const HELPERS: [string, string][] = [
  ['ftp', 'FTP'],
  ['sip', 'SIP'],
  ['h323', 'H.323'],
  ['nfs', 'NFS'],
  ['sqlnet', 'SQL*net'],
];

/** `date`'s `%a %b %e %H:%M:%S %Z %Y`, in UTC (`Fri Jul  9 23:15:26 UTC 2010`). */
export function dateLike(d: Date): string {
  return ctimeLayout(d, { utc: true, zone: 'UTC' });
}

export function renderCtsyncStatus(s: CtsyncStatus): string {
  const helpers = s.expectSync.includes('all') ? HELPERS : HELPERS.filter(([k]) => s.expectSync.includes(k));
  const line = (label: string, value: string) => `${label.padEnd(21)} : ${value}`;
  return [
    '',
    line('sync-interface', s.interface ?? ''),
    line('failover-mechanism', s.failoverMechanism ?? ''),
    line(
      'last state transition',
      s.lastTransition
        ? `${s.lastTransition.state} at ${dateLike(new Date(s.lastTransition.at))}`
        : 'no transition yet!',
    ),
    line(
      'ExpectationSync',
      helpers.length ? `enabled for ${helpers.map(([, n]) => n).join(', ')}` : 'Disabled',
    ),
    // Tandem extension: shown only when on, so the reference layout stays as it is otherwise.
    ...(s.authenticated ? [line('authentication', 'HMAC-SHA-256, pre-shared secret')] : []),
  ].join('\n');
}
