// The appliance image (`npm run image`): a Debian 12 root file system from the machine's apt
// sources (mmdebstrap), Tandem installed in it (built JS, native addon, BPF objects, the Node
// runtime), a systemd unit for tandemd and a default /config/config.boot, squashed and put on a
// hybrid BIOS/UEFI ISO (grub-mkrescue) that boots it live (live-boot). The root file system is
// cached under the build directory, keyed by the package list: a rebuild happens only when that
// changes. Writes build/image/tandem-<version>.iso and its manifest.
import { createHash } from 'node:crypto';
import { copyFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot, packageVersion } from '../src/packageRoot.js';
import { run } from '../src/platform/run.js';
import type { ImageManifest } from '../src/features/system-image/manifest.js';

/** What the appliance runs besides Tandem (Tandem's own runtime libraries included). */
export const IMAGE_PACKAGES = [
  'systemd-sysv',
  'linux-image-amd64',
  'live-boot',
  'udev',
  'kmod',
  'iproute2',
  'nftables',
  'conntrack',
  'procps',
  'iputils-ping',
  'openssl',
  'ca-certificates',
  'libbpf1',
  'libelf1',
  'libmnl0',
  'libnetfilter-conntrack3',
  'libssl3',
  'libstdc++6',
  // install image, system images and RAID-1: partitioning, file systems, boot loaders, md.
  'fdisk',
  'e2fsprogs',
  'dosfstools',
  'grub2-common',
  'grub-pc-bin',
  'grub-efi-amd64-bin',
  'mdadm',
  'sudo',
  // udhcpc: the DHCP client of `interfaces ethernet <if> address dhcp`.
  'busybox',
  // The host name always resolves (sudo asks), whatever the configuration names it.
  'libnss-myhostname',
];

/** The initramfs script that boots an installed image (boot=tandem). */
const INITRAMFS_SCRIPT = join(packageRoot(), 'image', 'initramfs', 'tandem');
/** mdadm's configuration, in the image and its initramfs (assembles the system mirror as md0). */
const MDADM_CONF = join(packageRoot(), 'image', 'initramfs', 'mdadm.conf');

const SUITE = 'bookworm';

type Manifest = ImageManifest;

const root = packageRoot();
const out = join(root, 'build', 'image');
/** Root file systems by package list, kept between builds (and between clones). */
const cache = process.env.TANDEM_IMAGE_CACHE ?? '/var/cache/tandem-image';

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/** A fresh copy of the root file system for this package list (built once, cached by its hash). */
async function rootfs(): Promise<{ dir: string; key: string }> {
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        SUITE,
        IMAGE_PACKAGES,
        await readFile(INITRAMFS_SCRIPT, 'utf8'),
        await readFile(MDADM_CONF, 'utf8'),
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  const cached = join(cache, `rootfs-${key}`);
  if (!(await exists(join(cached, '.tandem-rootfs-complete')))) await debootstrap(cached);
  // Root file systems of older package lists are dead weight (about 700 MB each).
  for (const f of await readdir(cache))
    if (f.startsWith('rootfs-') && f !== `rootfs-${key}`)
      await rm(join(cache, f), { recursive: true, force: true });
  const dir = join(out, 'rootfs');
  await rm(dir, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  await run(['cp', '-a', cached, dir], { timeoutMs: 600_000 });
  return { dir, key };
}

async function debootstrap(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(cache, { recursive: true });
  const tar = `${dir}.tar`;
  console.log(`image: mmdebstrap ${SUITE} (${IMAGE_PACKAGES.length} packages)`);
  await run(
    [
      'mmdebstrap',
      '--variant=minbase',
      `--include=${IMAGE_PACKAGES.join(',')}`,
      // The installed-image boot script goes into the initramfs beside live-boot's.
      `--customize-hook=copy-in ${INITRAMFS_SCRIPT} /etc/initramfs-tools/scripts`,
      `--customize-hook=copy-in ${MDADM_CONF} /etc/mdadm`,
      '--customize-hook=chroot "$1" update-initramfs -u -k all',
      SUITE,
      tar,
    ],
    { timeoutMs: 1_800_000 },
  );
  await mkdir(dir, { recursive: true });
  await run(['tar', '-xf', tar, '-C', dir], { timeoutMs: 600_000 });
  await rm(tar);
  // Not needed on a router: documentation, manuals, translations, the apt cache.
  for (const p of ['usr/share/doc', 'usr/share/man', 'usr/share/locale', 'var/cache/apt'])
    await rm(join(dir, p), { recursive: true, force: true });
  await writeFile(join(dir, '.tandem-rootfs-complete'), `${new Date().toISOString()}\n`);
}

/** Tandem and its runtime into the image's tree. */
async function installTandem(dir: string, version: string): Promise<void> {
  const opt = join(dir, 'opt', 'tandem');
  await rm(opt, { recursive: true, force: true });
  await mkdir(join(opt, 'build', 'Release'), { recursive: true });
  await cp(join(root, 'bin'), join(opt, 'bin'), { recursive: true });
  await cp(join(root, 'dist', 'src'), join(opt, 'dist', 'src'), { recursive: true });
  await copyFile(join(root, 'package.json'), join(opt, 'package.json'));
  await copyFile(
    join(root, 'build', 'Release', 'tandem_native.node'),
    join(opt, 'build', 'Release', 'tandem_native.node'),
  );
  await mkdir(join(opt, 'build', 'bpf'), { recursive: true });
  for (const f of (await readdir(join(root, 'build', 'bpf'))).filter((f) => f.endsWith('.bpf.o')))
    await copyFile(join(root, 'build', 'bpf', f), join(opt, 'build', 'bpf', f));
  // Production dependencies only.
  await copyFile(join(root, 'package-lock.json'), join(opt, 'package-lock.json'));
  await run(['npm', 'ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefix', opt], {
    timeoutMs: 600_000,
  });
  // The Node runtime Tandem needs (Debian 12's nodejs is too old): the build machine's binary.
  await copyFile(process.execPath, join(dir, 'usr', 'local', 'bin', 'node'));
  await run(['chmod', '0755', join(dir, 'usr', 'local', 'bin', 'node')]);
  for (const b of ['tandem', 'tandemd'])
    await writeFile(
      join(dir, 'usr', 'local', 'bin', b),
      `#!/bin/sh\nexec /usr/local/bin/node /opt/tandem/bin/${b} "$@"\n`,
      {
        mode: 0o755,
      },
    );
  // The operator's login shell option: operational mode (tandem shell), for `chsh -s`.
  await writeFile(
    join(dir, 'usr', 'local', 'bin', 'tandem-shell'),
    '#!/bin/sh\nexec /usr/local/bin/node /opt/tandem/bin/tandem shell\n',
    { mode: 0o755 },
  );
  const shells = await readFile(join(dir, 'etc', 'shells'), 'utf8');
  if (!shells.includes('/usr/local/bin/tandem-shell'))
    await writeFile(join(dir, 'etc', 'shells'), `${shells}/usr/local/bin/tandem-shell\n`);
  await writeFile(
    join(dir, 'etc', 'systemd', 'system', 'tandemd.service'),
    `[Unit]
Description=Tandem router daemon
After=systemd-udev-settle.service network-pre.target
Wants=systemd-udev-settle.service

[Service]
ExecStart=/usr/local/bin/node /opt/tandem/bin/tandemd
ExecStartPost=/bin/sh -c 'for i in $(seq 600); do /usr/local/bin/tandem show system commit >/dev/null 2>&1 && { echo "tandemd ready" > /dev/console; exit 0; }; sleep 0.5; done; exit 1'
Restart=on-failure
RestartSec=2
# SIGTERM to tandemd alone; what it leaves running (a DHCP client) is killed without a chance to
# release its lease, so the address stays while the next tandemd starts its own client.
KillMode=mixed

[Install]
WantedBy=multi-user.target
`,
  );
  // The first boot of an upgrade: confirm it once tandemd answers, or roll back (bootCheck.ts).
  await writeFile(
    join(dir, 'etc', 'systemd', 'system', 'tandem-boot-check.service'),
    `[Unit]
Description=Tandem image boot check (upgrade confirmation or rollback)
After=tandemd.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/local/bin/tandem system-image boot-check
StandardOutput=journal+console
TimeoutStartSec=infinity

[Install]
WantedBy=multi-user.target
`,
  );
  await mkdir(join(dir, 'etc', 'systemd', 'system', 'multi-user.target.wants'), { recursive: true });
  for (const unit of ['tandemd.service', 'tandem-boot-check.service']) {
    await rm(join(dir, 'etc', 'systemd', 'system', 'multi-user.target.wants', unit), { force: true });
    await run([
      'ln',
      '-s',
      `/etc/systemd/system/${unit}`,
      join(dir, 'etc', 'systemd', 'system', 'multi-user.target.wants', unit),
    ]);
  }
  await mkdir(join(dir, 'config'), { recursive: true });
  if (!(await exists(join(dir, 'config', 'config.boot'))))
    await writeFile(join(dir, 'config', 'config.boot'), 'system {\n    host-name tandem\n}\n');
  await writeFile(join(dir, 'etc', 'hostname'), 'tandem\n');
  // sudo resolves the host name; live-boot writes /etc/network/interfaces (no ifupdown here).
  await writeFile(
    join(dir, 'etc', 'hosts'),
    '127.0.0.1\tlocalhost\n127.0.1.1\ttandem\n::1\tlocalhost ip6-localhost ip6-loopback\n',
  );
  await mkdir(join(dir, 'etc', 'network'), { recursive: true });
  // The operator's login (documented default, to be changed): group tandem may use tandemd's
  // socket; as an admin it may also become root with its password (group sudo).
  await run([
    'chroot',
    dir,
    'sh',
    '-c',
    'getent group tandem >/dev/null || groupadd tandem; id tandem >/dev/null 2>&1 || useradd -m -s /bin/bash -g tandem tandem; usermod -aG sudo tandem; echo tandem:tandem | chpasswd',
  ]);
  await writeFile(join(dir, 'etc', 'tandem-release'), `${version}\n`);
  // Image and disk commands (install image, add system image, RAID) need root: the CLI re-runs
  // itself through sudo for members of group tandem.
  await writeFile(
    join(dir, 'etc', 'sudoers.d', 'tandem'),
    '%tandem ALL=(root) NOPASSWD: /usr/local/bin/tandem\n',
    { mode: 0o440 },
  );
}

export async function buildImage(): Promise<{ iso: string; manifest: Manifest }> {
  const version = packageVersion();
  const { dir } = await rootfs();
  await installTandem(dir, version);
  const installed = (await run(['chroot', dir, 'dpkg-query', '-W', '-f', '${Package} ${Version}\\n'])).stdout
    .split('\n')
    .filter(Boolean)
    .sort();
  const manifest: Manifest = {
    version,
    built: new Date().toISOString(),
    suite: SUITE,
    packages: IMAGE_PACKAGES,
    installed,
    hash: createHash('sha256').update(installed.join('\n')).digest('hex'),
  };
  await writeFile(join(dir, 'etc', 'tandem-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const iso = join(out, 'iso');
  await rm(iso, { recursive: true, force: true });
  await mkdir(join(iso, 'live'), { recursive: true });
  await mkdir(join(iso, 'boot', 'grub'), { recursive: true });
  const boot = await readdir(join(dir, 'boot'));
  const kernel = boot.find((f) => f.startsWith('vmlinuz-'))!;
  const initrd = boot.find((f) => f.startsWith('initrd.img-'))!;
  await copyFile(join(dir, 'boot', kernel), join(iso, 'live', 'vmlinuz'));
  await copyFile(join(dir, 'boot', initrd), join(iso, 'live', 'initrd.img'));
  // Read by `add system image` without mounting the squashfs.
  await writeFile(join(iso, 'live', 'tandem-manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log('image: squashfs');
  await run(
    [
      'mksquashfs',
      dir,
      join(iso, 'live', 'filesystem.squashfs'),
      '-comp',
      'zstd',
      '-noappend',
      '-quiet',
      '-e',
      'boot',
    ],
    {
      timeoutMs: 1_800_000,
    },
  );
  await writeFile(
    join(iso, 'boot', 'grub', 'grub.cfg'),
    `serial --unit=0 --speed=115200
terminal_input serial console
terminal_output serial console
set timeout=1
set default=0
menuentry "Tandem ${version}" {
  linux /live/vmlinuz boot=live components quiet net.ifnames=0 console=tty0 console=ttyS0,115200n8
  initrd /live/initrd.img
}
`,
  );
  const file = join(out, `tandem-${version}.iso`);
  console.log('image: grub-mkrescue');
  await run(['grub-mkrescue', '-o', file, iso, '--', '-volid', 'TANDEM'], { timeoutMs: 600_000 });
  await writeFile(join(out, `tandem-${version}.manifest.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return { iso: file, manifest };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { iso, manifest } = await buildImage();
  console.log(`image: ${iso} (manifest ${manifest.hash.slice(0, 12)})`);
}
