// The appliance image: built from Debian's packages with Tandem inside, booted live in qemu (TCG)
// from its ISO by BIOS and by UEFI; tandemd runs and answers the operator's CLI.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../image/build.js';
import { Guest } from './serialConsole.js';

let iso = '';
let manifestHash = '';
const guests: Guest[] = [];
afterEach(async () => {
  for (const g of guests.splice(0)) await g.stop();
});

beforeAll(async () => {
  const built = await buildImage();
  iso = built.iso;
  manifestHash = built.manifest.hash;
}, 1_800_000);

async function loginAndCheck(g: Guest): Promise<void> {
  await g.expect(/tandem login: /, 600_000);
  g.type('tandem');
  await g.expect(/Password: /, 60_000);
  g.type('tandem');
  await g.expect(/\$ $/m, 60_000);
  // tandemd comes up after login is possible: ask until it answers.
  let r = { output: '', code: 1 };
  for (let i = 0; i < 120 && r.code !== 0; i++) {
    r = await g.shell('tandem show system commit >/dev/null 2>&1');
    if (r.code !== 0) await new Promise((res) => setTimeout(res, 1000));
  }
  expect(r.code).toBe(0);
  const v = await g.shell('tandem show version');
  expect(v.code).toBe(0);
  expect(v.output).toContain('Version:        0.1.0');
  expect(v.output).toContain(`Manifest hash:  ${manifestHash}`);
  // Started by systemd (its unit), not by hand.
  const unit = await g.shell('cat /proc/$(pgrep -o -f /opt/tandem/bin/tandemd)/cgroup');
  expect(unit.output).toContain('tandemd.service');
}

describe('appliance image', () => {
  it('boots the ISO by BIOS to a login and a running tandemd', async () => {
    const g = await Guest.boot(['-cdrom', iso]);
    guests.push(g);
    await loginAndCheck(g);
  });

  it('boots the same ISO by UEFI (OVMF)', async () => {
    const g = await Guest.boot(['-bios', '/usr/share/ovmf/OVMF.fd', '-cdrom', iso]);
    guests.push(g);
    await loginAndCheck(g);
  });
});
