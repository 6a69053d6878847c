// RAID 1 system disks: no configuration (all state lives on the disks, spec §1), so the feature
// is only the monitor tandemd runs where the kernel has the md driver. The operational commands
// run in the CLI as root (src/cli/raidCommands.ts).
import { featureLogger } from '../../log.js';
import { mdAvailable } from '../../platform/mdadm.js';
import type { Feature } from '../feature.js';
import { repairBootLoaders } from '../system-image/bootLoader.js';
import { RaidMonitor } from './monitor.js';

export function createRaidFeature(): Feature {
  const log = featureLogger('raid');
  let monitor: RaidMonitor | null = null;
  let starting: Promise<void> = Promise.resolve();
  return {
    name: 'raid',
    registerSchema: () => {},
    attach(host) {
      starting = mdAvailable().then((ok) => {
        if (!ok) return;
        monitor = new RaidMonitor({
          log,
          bus: host.bus,
          repairBootLoaders,
          // pam_motd (Debian's login) shows the files of /run/motd.d at every login.
          motdFile: process.env.TANDEM_RAID_MOTD ?? '/run/motd.d/50-tandem-raid',
        });
        monitor.start();
      });
    },
    async shutdown() {
      await starting;
      await monitor?.stop();
    },
  };
}
