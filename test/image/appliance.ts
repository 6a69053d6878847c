// Checks shared by the image tests: the booted appliance runs this build's tandemd from its unit.
import { expect } from 'vitest';
import type { Guest } from '../../src/lab/qemuGuest.js';

/** tandemd answers, was started by systemd, and `show version` names this build and its manifest. */
export async function expectApplianceRunning(g: Guest, manifestHash: string): Promise<void> {
  await g.waitForTandemd();
  const v = await g.shell('tandem show version');
  expect(v.code, v.output).toBe(0);
  expect(v.output).toContain('Version:        0.1.0');
  expect(v.output).toContain(`Manifest hash:  ${manifestHash}`);
  const unit = await g.shell('cat /proc/$(pgrep -o -f /opt/tandem/bin/tandemd)/cgroup');
  expect(unit.output).toContain('tandemd.service');
}
