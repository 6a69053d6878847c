// keepalived, the reference VRRP peer, run inside a lab node with its own configuration and pid
// files (never the host's), in the foreground so the lab stops it like any other process.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lab, LabProcess } from './lab.js';

export async function spawnKeepalived(lab: Lab, node: string, config: string): Promise<LabProcess> {
  const d = lab.dir(node);
  const conf = join(d, 'keepalived.conf');
  await writeFile(conf, config);
  const argv = ['keepalived', '--dont-fork', '--log-console', '--vrrp', '-f', conf];
  argv.push('-p', join(d, 'keepalived.pid'), '-r', join(d, 'keepalived-vrrp.pid'));
  return lab.spawn(node, argv, { logName: 'keepalived' });
}

/** One `vrrp_instance` block (VRRPv2 unless the global `vrrp_version 3` is set). */
export function keepalivedInstance(opts: {
  name: string;
  ifname: string;
  vrid: number;
  priority: number;
  advertInt?: number | string;
  vips: string[];
  auth?: { type: 'PASS' | 'AH'; pass: string };
}): string {
  const auth = opts.auth
    ? `  authentication {\n    auth_type ${opts.auth.type}\n    auth_pass ${opts.auth.pass}\n  }\n`
    : '';
  return (
    `vrrp_instance ${opts.name} {\n  state BACKUP\n  interface ${opts.ifname}\n  virtual_router_id ${opts.vrid}\n` +
    `  priority ${opts.priority}\n  advert_int ${opts.advertInt ?? 1}\n${auth}` +
    `  virtual_ipaddress {\n${opts.vips.map((v) => `    ${v}\n`).join('')}  }\n}\n`
  );
}
