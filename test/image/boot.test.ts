// The appliance image: built from Debian's packages with Tandem inside, booted live in qemu (TCG)
// from its ISO by UEFI; tandemd runs and answers the operator's CLI. (The BIOS boot of the same
// ISO is the first step of install.test.ts.)
import { afterEach, describe, expect, inject, it } from 'vitest';
import { Guest } from '../../src/lab/qemuGuest.js';
import { expectApplianceRunning } from './appliance.js';

const guests: Guest[] = [];
afterEach(async () => {
  for (const g of guests.splice(0)) await g.stop();
});

describe('appliance image', () => {
  it('boots the ISO by UEFI (OVMF) to a login and a running tandemd', async () => {
    const g = await Guest.boot(['-bios', '/usr/share/ovmf/OVMF.fd', '-cdrom', inject('iso')]);
    guests.push(g);
    await g.login();
    await expectApplianceRunning(g, inject('manifestHash'));
    // The operator's login shell option: operational mode, listed in /etc/shells for chsh.
    expect((await g.shell('grep -x /usr/local/bin/tandem-shell /etc/shells')).code).toBe(0);
    const sh = await g.shell("printf 'show version\\nexit\\nshow nonsense\\n' | tandem-shell");
    expect(sh.code, sh.output).toBe(0);
    expect(sh.output).toContain('Version:        0.1.0');
    expect(sh.output).not.toContain('usage:');
  });
});
