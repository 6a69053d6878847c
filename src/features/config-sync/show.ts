// `show config-sync status|difference` and `update config-sync` (spec config-sync.md §3).
import { ctimeLayout } from '../ctime.js';
import type { RemoteDifference, RemoteStatus, UpdateResult } from './index.js';

export function renderStatus(
  remotes: readonly (RemoteStatus & { remoteConfiguration?: string | null })[],
  detail: boolean,
): string {
  const pad = detail ? '  ' : '';
  return remotes
    .map((s) => {
      const lines = [
        `remote-router: ${s.remoteRouter}`,
        `${pad}version:        ${s.version ?? 'unknown'}`,
        `${pad}sync-map:       ${s.syncMap}`,
        `${pad}last sync:      ${s.lastSync}`,
        `${pad}last sync time: ${s.lastSyncTime ? ctimeLayout(new Date(s.lastSyncTime)) : 'never'}`,
        `${pad}in-sync?:       ${s.inSync === null ? 'unknown' : s.inSync ? 'yes' : 'no'}`,
        `${pad}access-status:  ${s.accessStatus ?? 'unknown'}`,
      ];
      if (s.lastSync === 'failed')
        lines.push(`${pad}error stage:    ${s.errorStage}`, `${pad}error:          ${s.error}`);
      if (detail) {
        lines.push(
          `${pad}local version:  ${s.localVersion}`,
          `${pad}tls-fingerprint: ${s.tlsFingerprint ?? 'none'}`,
        );
        if (s.remoteConfiguration != null)
          lines.push(
            '',
            'remote configuration:',
            ...s.remoteConfiguration
              .trimEnd()
              .split('\n')
              .map((l) => `  ${l}`),
          );
      }
      return lines.join('\n');
    })
    .join('\n\n');
}

export function renderDifference(remotes: readonly RemoteDifference[], detail: boolean): string {
  const out: string[] = [];
  for (const d of remotes) {
    if (d.error) {
      out.push('', `${d.remoteRouter} configuration could not be compared: ${d.error}`);
      continue;
    }
    if (detail && d.onlyOnMaster.length)
      out.push(
        '',
        `Configuration only on master (compared to ${d.remoteRouter}):`,
        ...d.onlyOnMaster.map((l) => `  ${l}`),
      );
    if (detail && d.onlyOnRemote.length)
      out.push(
        '',
        `Configuration only on ${d.remoteRouter} (compared to master):`,
        ...d.onlyOnRemote.map((l) => `  ${l}`),
      );
    out.push('', `${d.remoteRouter} configuration is ${d.inSync ? 'in sync' : 'out of sync'}`);
  }
  return out.join('\n');
}

export function renderUpdate(results: readonly UpdateResult[]): string {
  return results
    .map((r) =>
      r.result === 'synchronized'
        ? `${r.remoteRouter}: configuration synchronized`
        : r.result === 'already-in-sync'
          ? `${r.remoteRouter}: already in sync`
          : `${r.remoteRouter}: synchronization failed (${r.errorStage}): ${r.error}`,
    )
    .join('\n');
}
