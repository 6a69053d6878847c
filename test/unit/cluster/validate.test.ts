import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateCluster } from '../../../src/features/cluster/validate.js';
import { buildRegistry } from '../../../src/daemon/features.js';
import { featureRules } from '../support/featureRules.js';

const registry = buildRegistry();
const facts = { interfaces: new Set(['eth0', 'eth1', 'eth2']) };
const C = 'cluster';
const G = `${C} group cluster1`;
/** The guide's Example 3-4 on R1 (addresses of the lab's documentation ranges). */
const BASE = [
  'system host-name R1',
  'interfaces ethernet eth0 address 203.0.113.2/24',
  'interfaces ethernet eth1 address 192.0.2.2/24',
  `${C} dead-interval 10000`,
  `${C} keepalive-interval 2000`,
  `${C} interface eth0`,
  `${C} interface eth1`,
  `${C} pre-shared-secret !secret!`,
  `${G} monitor 203.0.113.99`,
  `${G} monitor 192.0.2.55`,
  `${G} primary R1`,
  `${G} secondary R2`,
  `${G} service 192.0.2.100/24/eth1`,
  `${G} service 203.0.113.78/24/eth0`,
];
const { problems } = featureRules(registry, validateCluster, facts);
const without = (line: string) => BASE.filter((l) => l !== line);

let scripts: string;
const envBefore = process.env.TANDEM_CLUSTER_SCRIPTS;
beforeAll(() => {
  scripts = mkdtempSync(join(tmpdir(), 'cluster-scripts-'));
  writeFileSync(join(scripts, 'webcache'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(scripts, 'webcache'), 0o755);
  writeFileSync(join(scripts, 'notexec'), '#!/bin/sh\n');
  process.env.TANDEM_CLUSTER_SCRIPTS = scripts;
});
afterAll(() => {
  rmSync(scripts, { recursive: true, force: true });
  if (envBefore === undefined) delete process.env.TANDEM_CLUSTER_SCRIPTS;
  else process.env.TANDEM_CLUSTER_SCRIPTS = envBefore;
});

describe('cluster commit rules (spec §2.4)', () => {
  it('accepts the guide’s example, and scripts found in the cluster script directory', () => {
    expect(problems(...BASE)).toEqual([]);
    expect(problems(...BASE, `${G} service webcache`, `${G} service webcache::a::b`)).toEqual([]);
  });

  it('needs a group, links, a secret, both nodes and a service (CV-1, 3, 6, 11, 14)', () => {
    expect(problems(...BASE.filter((l) => !l.startsWith(G)))).toEqual(['cluster: no resource group defined']);
    expect(problems(...without(`${C} interface eth0`).filter((l) => l !== `${C} interface eth1`))).toEqual([
      'cluster: heartbeat interface(s) not defined',
    ]);
    expect(problems(...without(`${C} pre-shared-secret !secret!`))).toEqual([
      'cluster: pre-shared secret not defined',
    ]);
    expect(problems(...without(`${G} secondary R2`))).toEqual([
      'cluster group cluster1: cluster secondary node(s) not defined',
    ]);
    expect(problems(...BASE.filter((l) => !l.startsWith(`${G} service`)))).toEqual([
      'cluster group cluster1: cluster service(s) not defined',
    ]);
  });

  it('refuses a second group, a foreign host and equal node names (CV-2, CV-11, CV-13)', () => {
    expect(problems(...BASE, `${C} group other primary R1`)).toContain(
      'cluster group: using multiple resource groups is not supported yet',
    );
    expect(problems(...BASE.map((l) => (l === 'system host-name R1' ? 'system host-name R3' : l)))).toEqual([
      "cluster group cluster1: the current node 'R3' is not defined in the configuration",
    ]);
    expect(problems(...without(`${G} secondary R2`), `${G} secondary R1`)).toEqual([
      'cluster group cluster1 secondary: primary and secondary must differ',
    ]);
  });

  it('checks links and timers (CV-4, CV-7…CV-10, CV-23, CV-26)', () => {
    expect(problems(...BASE, `${C} interface eth7`)).toEqual([
      'cluster interface: interface eth7 does not exist',
    ]);
    expect(problems(...BASE, `${C} interface eth2`)).toEqual([
      'cluster interface: interface eth2 is not configured',
    ]);
    expect(problems(...without(`${C} interface eth1`))).toEqual([
      'warning: cluster interface: a single heartbeat interface is a single point of failure (split brain)',
    ]);
    expect(problems(...BASE, `${C} keepalive-interval 50`)).toEqual([
      'cluster keepalive-interval: keepalive interval must be at least 100 milliseconds',
    ]);
    // S14: keepalive 1000 with dead 2000 is refused.
    expect(problems(...BASE, `${C} keepalive-interval 1000`, `${C} dead-interval 2000`)).toEqual([
      'cluster dead-interval: dead interval must be more than twice the keepalive interval',
    ]);
    expect(problems(...BASE, `${C} dead-interval 200`, `${C} keepalive-interval 100`)).toEqual([
      'cluster dead-interval: dead interval must be at least 300 milliseconds',
    ]);
    expect(problems(...BASE, `${C} monitor-dead-interval 4000`)).toEqual([
      'cluster monitor-dead-interval: monitor dead interval must be more than twice the keepalive interval',
    ]);
    expect(problems(...BASE, `${C} init-dead-interval 5000`)).toEqual([
      'cluster init-dead-interval: init dead interval must be at least the dead interval',
    ]);
    expect(problems(...BASE, `${C} mcast-group 225.1.1.1`)).toEqual([
      'cluster mcast-group: Heartbeat multicast group must be "239.*.*.*"',
    ]);
  });

  it('checks services and monitors (CV-15…CV-22, S22-S24, S27)', () => {
    const svc = (v: string) => problems(...BASE, `${G} service ${v}`);
    expect(svc('192.0.2.2/24/eth1')).toEqual([
      'cluster group cluster1 service: cluster address 192.0.2.2 must not be configured on an interface',
    ]);
    expect(svc('198.51.100.100/24/eth1')).toEqual([
      'cluster group cluster1 service: cluster address 198.51.100.100 must be in the subnet of an address of eth1',
    ]);
    expect(svc('192.0.2.101/25/eth1')).toEqual([
      "warning: cluster group cluster1 service: cluster address 192.0.2.101/25 has another prefix than eth1's /24",
    ]);
    expect(svc('192.0.2.100')).toEqual([
      'cluster group cluster1 service: "192.0.2.100" is not a valid IP address (with subnet mask length) or service name',
    ]);
    expect(svc('192.0.2.100/24')).toEqual([
      'cluster group cluster1 service: cluster address 192.0.2.100 is listed twice',
      // The default interface is eth0, whose subnet does not hold it.
      'cluster group cluster1 service: cluster address 192.0.2.100 must be in the subnet of an address of eth0',
    ]);
    expect(svc('192.0.2.120/24/eth2')).toEqual([
      'cluster group cluster1 service: interface eth2 of 192.0.2.120/24/eth2 is not configured',
    ]);
    expect(svc('ipsec')).toEqual(['cluster group cluster1 service: ipsec is not configured']);
    expect(svc('nosuchservice')).toEqual([
      'cluster group cluster1 service: "nosuchservice" is not a valid IP address (with subnet mask length) or service name',
    ]);
    expect(svc('notexec')[0]).toContain('is not a valid IP address');
    expect(problems(...BASE, `${G} monitor 192.0.2.2`)).toEqual([
      'cluster group cluster1 monitor: monitor 192.0.2.2 is an address of this router',
    ]);
    expect(problems(...BASE, `${G} monitor 192.0.2.100`)).toEqual([
      'cluster group cluster1 monitor: monitor 192.0.2.100 is a cluster address of the group',
    ]);
    expect(problems(...BASE, `${G} monitor 224.0.0.5`)).toEqual([
      'cluster group cluster1 monitor: monitor 224.0.0.5 is not a unicast host address',
    ]);
  });

  it('warns about a heartbeat link that is down at commit (CV-5)', () => {
    const down = featureRules(registry, validateCluster, { ...facts, linksDown: new Set(['eth1']) });
    expect(down.problems(...BASE)).toEqual(['warning: cluster interface: interface eth1 is not connected']);
  });

  it('applies the defaults of §2.2', () => {
    const t = featureRules(registry, validateCluster, facts).tree(...BASE);
    expect(problems(...BASE)).toEqual([]);
    expect(t['cluster']).toMatchObject({ interface: ['eth0', 'eth1'] });
  });
});
