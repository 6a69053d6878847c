// Boot time of the appliance under qemu TCG (this machine has no KVM): power on to `tandemd
// ready` (live ISO and installed disk) and to VRRP master (installed disk, one router, a group on
// eth0). Baseline in the same run, the floor: the image's own kernel with a busybox initramfs
// whose init prints a line and powers off — what booting costs before any of the system starts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../image/build.js';
import { Guest } from '../src/lab/qemuGuest.js';
import type { Benchmark, BenchResult } from './benchResult.js';
import { median } from './benchResult.js';

const ROUNDS = Number(process.env.TANDEM_BOOT_ROUNDS ?? 3);
/** One NIC on a qemu hub of its own: VRRP has a link, and nothing leaves the guest. */
const NIC = ['-netdev', 'hubport,id=lan,hubid=0', '-device', 'virtio-net-pci,netdev=lan'];
const ROOT = "echo tandem | sudo -S -p '' --";

/** Seconds from power on until the console shows `pattern`. */
async function timeTo(args: string[], pattern: RegExp): Promise<number> {
  const t0 = process.hrtime.bigint();
  const g = await Guest.boot(args);
  try {
    await g.expect(pattern, 900_000);
    return Number(process.hrtime.bigint() - t0) / 1e9;
  } finally {
    await g.stop();
  }
}

function floorInitramfs(dir: string): string {
  const root = join(dir, 'floor');
  mkdirSync(join(root, 'bin'), { recursive: true });
  execFileSync('cp', ['/bin/busybox', join(root, 'bin', 'busybox')]);
  writeFileSync(
    join(root, 'init'),
    '#!/bin/busybox sh\n/bin/busybox echo floor ready\n/bin/busybox poweroff -f\n',
    {
      mode: 0o755,
    },
  );
  const cpio = join(dir, 'floor.cpio');
  execFileSync('sh', ['-c', `cd ${root} && find . | cpio -o -H newc --quiet > ${cpio}`]);
  return cpio;
}

/** A disk with the image installed and a VRRP group whose master script writes to the console. */
async function installedDisk(iso: string, disk: string): Promise<void> {
  execFileSync('truncate', ['-s', '2G', disk]);
  const g = await Guest.boot([
    '-cdrom',
    iso,
    '-drive',
    `file=${disk},format=raw,if=virtio`,
    '-boot',
    'd',
    ...NIC,
  ]);
  try {
    await g.login();
    await g.waitForTandemd();
    const script = '/config/scripts/vrrp-master';
    const s = await g.shell(
      `${ROOT} sh -c 'mkdir -p /config/scripts && printf "#!/bin/sh\\necho vrrp master > /dev/console\\n" > ${script} && chmod 755 ${script}'`,
    );
    if (s.code) throw new Error(`master script: ${s.output}`);
    const lines = [
      'set interfaces ethernet eth0 address 192.0.2.2/24',
      'set interfaces ethernet eth0 vrrp vrrp-group 10 virtual-address 192.0.2.1/24',
      `set interfaces ethernet eth0 vrrp vrrp-group 10 run-transition-scripts master ${script}`,
      'commit',
      'save',
    ];
    const c = await g.shell(`printf '${lines.join('\\n')}\\n' | tandem configure`, 120_000);
    if (c.code) throw new Error(`configure: ${c.output}`);
    const i = await g.shell('tandem install image --auto', 900_000);
    if (i.code) throw new Error(`install: ${i.output}`);
  } finally {
    await g.stop();
  }
}

export const applianceBoot: Benchmark = {
  name: 'appliance boot',
  async run(): Promise<BenchResult[]> {
    const { iso } = await buildImage();
    const dir = mkdtempSync(join(tmpdir(), 'tandem-boot-bench-'));
    try {
      const kernel = join(iso, '..', 'iso', 'live', 'vmlinuz');
      const cpio = floorInitramfs(dir);
      const floorArgs = ['-kernel', kernel, '-initrd', cpio, '-append', 'console=ttyS0,115200n8 quiet'];
      const disk = join(dir, 'disk.img');
      await installedDisk(iso, disk);
      const diskArgs = ['-drive', `file=${disk},format=raw,if=virtio`, ...NIC];
      const floor: number[] = [];
      const live: number[] = [];
      const ready: number[] = [];
      const master: number[] = [];
      // Interleaved rounds: a slow phase of the machine weighs on every figure alike.
      for (let i = 0; i < ROUNDS; i++) {
        floor.push(await timeTo(floorArgs, /floor ready/));
        live.push(await timeTo(['-cdrom', iso, ...NIC], /tandemd ready/));
        const t0 = process.hrtime.bigint();
        const g = await Guest.boot(diskArgs);
        try {
          await g.expect(/tandemd ready/, 900_000);
          ready.push(Number(process.hrtime.bigint() - t0) / 1e9);
          await g.expect(/vrrp master/, 900_000);
          master.push(Number(process.hrtime.bigint() - t0) / 1e9);
        } finally {
          await g.stop();
        }
      }
      const base = { name: 'kernel + busybox initramfs (floor)', value: +median(floor).toFixed(1) };
      const result = (name: string, samples: number[]): BenchResult => {
        const value = +median(samples).toFixed(1);
        return {
          name,
          value,
          unit: 's',
          baseline: base,
          ratio: value / base.value,
          detail: { samples, floor },
        };
      };
      return [
        result('appliance boot: live ISO to tandemd ready (TCG)', live),
        result('appliance boot: installed disk to tandemd ready (TCG)', ready),
        result('appliance boot: installed disk to VRRP master (TCG)', master),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
