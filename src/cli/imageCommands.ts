// Image and disk commands: install image, add|delete|show system image, set system image
// default-boot, the boot check run by systemd, and reboot. They run in the CLI itself (not in tandemd):
// they need root, and the CLI re-runs itself through sudo when the operator is not root.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { listBlockDevices } from '../platform/blockDevices.js';
import { requestReboot } from '../platform/power.js';
import { rebuildWarnings } from '../features/raid/status.js';
import { bootCheck } from '../features/system-image/bootCheck.js';
import {
  chooseDisk,
  chooseMirror,
  diskCandidates,
  existingMirrors,
  installImage,
  saveConfiguration,
  SYSTEM_ARRAY,
} from '../features/system-image/install.js';
import { breakMirror } from '../features/raid/members.js';
import { readMdSysfs } from '../platform/mdadm.js';
import {
  installedStore,
  openIsoImage,
  runningImageSource,
  runningSystem,
} from '../features/system-image/runningSystem.js';
import { formatSystemImages, type SystemImageView } from '../features/system-image/show.js';
import { ImageError, ImageStore, type ImageSource } from '../features/system-image/store.js';
import { RpcClient, socketPath } from './rpcClient.js';
import { ask, yes } from './prompt.js';
import { UsageError } from './usage.js';

/** Runs `tandem <argv>` as root through sudo unless already root; resolves with its exit code. */
export async function asRoot(argv: readonly string[]): Promise<number | null> {
  if (process.getuid?.() === 0) return null;
  return new Promise((resolve, reject) => {
    const child = spawn('sudo', ['-n', '/usr/local/bin/tandem', ...argv], { stdio: 'inherit' });
    child.once('error', () => reject(new ImageError('this command needs root (and sudo is not available)')));
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

const gib = (b: number) => `${(b / 1024 ** 3).toFixed(1)} GiB`;

/**
 * A RAID 1 set found on the disks (reinstalling a mirrored system, spec R-51): install onto it,
 * keeping its configuration if the operator wants; or, declined, break it up so both disks are
 * free for a new installation. Returns the result line, or null to go on as on blank disks.
 */
async function reinstallMirror(
  auto: boolean,
  source: ImageSource,
  print: (s: string) => void,
): Promise<string | null> {
  const [m, ...more] = existingMirrors(await listBlockDevices());
  if (!m || more.length || m.members.length !== 2 || !m.tandemLayout) return null;
  const members = m.members.map((x) => x.member).join(' and ');
  print(`There is a RAID 1 set here: ${m.md} on ${members}.`);
  if (!yes(await ask('Would you like to use this one? (Yes/No)', 'Yes', auto))) {
    print(`Stopping ${m.md} and clearing its members: both disks can take a new installation.`);
    await breakMirror(
      m.md,
      m.members.map((x) => x.member),
    );
    return null;
  }
  const sys = await readMdSysfs(m.md);
  if (sys.degraded > 0 && sys.syncAction === 'recover')
    throw new ImageError(
      `${m.md} is being rebuilt (degraded, recovering): the new member would get no boot loader; install once show raid ${m.md} is synchronized`,
    );
  if (sys.degraded > 0)
    print(`Warning: ${m.md} is degraded (a member is missing); installing on what is there.`);
  const keep = yes(
    await ask('Would you like me to save the data on it before I delete it? (Yes/No)', 'Yes', auto),
  );
  const kept = keep ? await saveConfiguration(`/dev/${m.md}`) : null;
  if (keep && !kept) print(`There is no Tandem configuration on ${m.md} to keep: using this system's.`);
  try {
    const name = await installImage({
      disks: m.members.map((x) => ({ name: x.disk, sizeBytes: x.sizeBytes })),
      reuseArray: m.md,
      source,
      configDir: kept ?? '/config',
      progress: print,
    });
    return `Image ${name} is installed on the RAID 1 set ${m.md} over ${m.members.map((x) => x.disk).join(' and ')}${kept ? ', with its configuration' : ''}. Remove the installation medium and reboot.`;
  } finally {
    if (kept) await rm(dirname(kept), { recursive: true, force: true });
  }
}

export async function installImageCommand(
  words: string[],
  flags: Set<string>,
  print: (s: string) => void,
): Promise<string> {
  const auto = flags.has('auto');
  const usage = 'usage: install image [--auto] [--raid1] [disk <disk> [<disk>]]';
  if (words.length > 3 || (words.length && (words[0] !== 'disk' || words.length < 2)))
    throw new UsageError(usage);
  const sys = await runningSystem();
  if (sys.kind === 'installed')
    throw new ImageError('this system is already installed; add images to it with: add system image <file>');
  const source = await runningImageSource();
  if (words.length === 0) {
    const reused = await reinstallMirror(auto, source, print);
    if (reused) return reused;
  }
  const candidates = diskCandidates(await listBlockDevices());
  const eligible = candidates.filter((c) => !c.refused);
  let requested = words.slice(1);
  let mirror = flags.has('raid1') || requested.length === 2;
  if (!auto && requested.length === 0) {
    print('Disks:');
    for (const c of candidates)
      print(`  ${c.name.padEnd(10)} ${gib(c.sizeBytes).padStart(10)}  ${c.refused ?? ''}`);
    if (!mirror && eligible.length >= 2) {
      print(
        `${eligible.length} disks can take the system: they can be mirrored (RAID 1), so it survives one dying.`,
      );
      mirror = yes(await ask('Would you like to configure RAID 1 mirroring on them? (Yes/No)', 'Yes', false));
    }
    if (mirror && eligible.length > 2)
      requested = (
        await ask(
          'Mirror which two disks?',
          eligible
            .slice(0, 2)
            .map((c) => c.name)
            .join(' '),
          false,
        )
      ).split(/\s+/);
    else if (!mirror) requested = [await ask('Install on which disk?', eligible[0]?.name ?? '', false)];
  }
  const names = mirror ? chooseMirror(candidates, requested) : [chooseDisk(candidates, requested[0])];
  const disks = names.map((n) => ({ name: n, sizeBytes: candidates.find((c) => c.name === n)!.sizeBytes }));
  const what = disks.map((d) => `${d.name} (${gib(d.sizeBytes)})`).join(' and ');
  if (!auto) {
    const sizes = new Set(disks.map((d) => d.sizeBytes));
    if (mirror && sizes.size > 1)
      print(`The disks differ in size: both are partitioned as the smaller one; the rest stays unused.`);
    if (
      !yes(
        await ask(
          `This erases everything on ${what}. Are you sure you want to do this? (Yes/No)`,
          'No',
          false,
        ),
      )
    )
      return 'Not installed: nothing was changed.';
  }
  const name = await installImage({ disks, source, configDir: '/config', progress: print });
  return `Image ${name} is installed on ${mirror ? `the RAID 1 set ${SYSTEM_ARRAY} over ${names.join(' and ')}` : names[0]}. Remove the installation medium and reboot.`;
}

export async function addSystemImage(
  words: string[],
  flags: Set<string>,
  print: (s: string) => void,
): Promise<string> {
  const [file] = words;
  if (!file || words.length !== 1) throw new UsageError('usage: add system image <iso-file> [--auto]');
  const store = await installedStore();
  const iso = await openIsoImage(file);
  let name: string;
  try {
    print(`Copying image ${iso.source.manifest.version}`);
    name = await store.add(iso.source);
  } finally {
    await iso.close();
  }
  if (
    !yes(
      await ask(
        `Boot ${name} next (it becomes the default once tandemd runs on it)? (yes/no)`,
        'yes',
        flags.has('auto'),
      ),
    )
  )
    return `Image ${name} is installed; choose it with: set system image default-boot ${name}`;
  await store.setTrial(name);
  return `Image ${name} is installed and boots next; if tandemd does not come up on it, the next boot returns to ${(await store.bootState()).defaultBoot}.`;
}

export async function deleteSystemImage(words: string[], flags: Set<string>): Promise<string> {
  const [name] = words;
  if (!name || words.length !== 1) throw new UsageError('usage: delete system image <name> [--auto]');
  const store = await installedStore();
  if (!yes(await ask(`Delete image ${name}? (yes/no)`, 'yes', flags.has('auto')))) return 'Nothing deleted.';
  await store.delete(name);
  return `Image ${name} is deleted.`;
}

export async function setDefaultBoot(words: string[]): Promise<string> {
  if (words.length !== 1) throw new UsageError('usage: set system image default-boot <name>');
  const store = await installedStore();
  await store.setDefault(words[0]!);
  return `Image ${words[0]} boots by default.`;
}

export async function showSystemImage(json: boolean): Promise<string> {
  const sys = await runningSystem();
  const view: SystemImageView = { running: sys.kind, images: [], boot: null };
  if (sys.kind === 'installed') {
    const store = await installedStore();
    view.images = await store.list();
    view.boot = await store.bootState();
  }
  return json ? JSON.stringify(view, null, 2) : formatSystemImages(view);
}

/** `system-image boot-check`: run once per boot by tandem-boot-check.service. */
export async function bootCheckCommand(print: (s: string) => void): Promise<string> {
  const sys = await runningSystem();
  if (sys.kind !== 'installed') return '';
  const store: ImageStore = await installedStore();
  const seconds = Number(process.env.TANDEM_BOOT_CHECK_SECONDS ?? 300);
  const ready = async () => {
    try {
      const c = await RpcClient.connect(socketPath(undefined));
      try {
        await c.call('config.commits');
        return true;
      } finally {
        c.close();
      }
    } catch {
      return false;
    }
  };
  const result = await bootCheck({
    store,
    ready,
    timeoutMs: seconds * 1000,
    reboot: requestReboot,
    log: print,
  });
  return result === 'no-trial' ? '' : `boot check: ${result}`;
}

export async function rebootCommand(flags: Set<string>, print: (s: string) => void): Promise<string> {
  // A disk being rebuilt onto is not bootable yet (its boot loader comes when the rebuild ends).
  for (const w of await rebuildWarnings()) print(`Warning: ${w}`);
  if (!flags.has('auto') && !yes(await ask('Reboot the system? (yes/no)', 'no', false)))
    return 'Not rebooting.';
  await requestReboot();
  return 'Rebooting.';
}
