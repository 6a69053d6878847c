import { describe, expect, it } from 'vitest';
import type { CtsyncStatus } from '../../../src/features/conntrack-sync/index.js';
import { renderCtsyncStatus } from '../../../src/features/conntrack-sync/show.js';

const base: CtsyncStatus = {
  configured: true,
  interface: 'eth1',
  mcastGroup: '225.0.0.50',
  failoverMechanism: 'vrrp [sync-group TESTING]',
  expectSync: [],
  authenticated: false,
  role: 'BACKUP',
  lastTransition: { state: 'BACKUP', at: '2010-07-09T23:15:27Z' },
  lastCommit: null,
  purgePending: false,
  lastPurge: null,
  guard: null,
  stats: null,
};

describe('show conntrack-sync status (spec §3.2)', () => {
  it('prints the padded labels after a blank line, the transition like date(1)', () => {
    expect(renderCtsyncStatus({ ...base, expectSync: ['ftp'] })).toBe(
      [
        '',
        'sync-interface        : eth1',
        'failover-mechanism    : vrrp [sync-group TESTING]',
        'last state transition : BACKUP at Fri Jul  9 23:15:27 UTC 2010',
        'ExpectationSync       : enabled for FTP',
      ].join('\n'),
    );
  });

  it('says when nothing happened yet, lists all helpers in the fixed order for all, and Disabled', () => {
    const all = renderCtsyncStatus({ ...base, lastTransition: null, expectSync: ['all'] });
    expect(all).toContain('last state transition : no transition yet!');
    expect(all).toContain('ExpectationSync       : enabled for FTP, SIP, H.323, NFS, SQL*net');
    expect(renderCtsyncStatus(base)).toContain('ExpectationSync       : Disabled');
  });

  it('adds the authentication line only for an authenticated channel (Tandem extension)', () => {
    expect(renderCtsyncStatus(base)).not.toContain('authentication');
    expect(
      renderCtsyncStatus({ ...base, authenticated: true })
        .split('\n')
        .at(-1),
    ).toBe('authentication        : HMAC-SHA-256, pre-shared secret');
  });
});
