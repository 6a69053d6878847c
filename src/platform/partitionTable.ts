// Partition tables read and copied through sfdisk: the only code that runs sfdisk to read a table
// or to copy one (writeGpt in blockDevices.ts writes the installer's fresh table). Every function
// takes a path, /dev/<disk> or a plain image file, so the same code runs on scratch files in tests.
import { mkdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { CommandError } from '../errors.js';
import { writeFileAtomic } from './atomicFile.js';
import { partitionName, settleUdev } from './blockDevices.js';
import { run } from './run.js';

export interface Partition {
  /** The partition's number in the table (gaps are kept: sda1, sda3). */
  number: number;
  start: number;
  /** Length in sectors. */
  size: number;
  /** GPT type GUID (upper case) or MBR type id (hex, no leading zeros: 83, fd, 7). */
  type: string;
  /** GPT partition GUID; null on MBR. */
  uuid: string | null;
  /** GPT partition name; null on MBR or when unnamed. */
  name: string | null;
  bootable: boolean;
}

export interface PartitionTable {
  /** 'dos' (MBR) or 'gpt'; sfdisk also knows sun and sgi. */
  label: string;
  /** MBR disk signature (0x…) or GPT disk GUID. */
  identifier: string;
  sectorSize: number;
  /** GPT only: the usable sector range. */
  firstLba: number | null;
  lastLba: number | null;
  partitions: Partition[];
}

export interface DiskLayout {
  path: string;
  sizeBytes: number;
  /** Logical sector size. */
  sectorSize: number;
  blockDevice: boolean;
  /** null: no partition table at all (a blank disk). */
  table: PartitionTable | null;
}

interface SfdiskJson {
  partitiontable: {
    label: string;
    id: string;
    device: string;
    firstlba?: number;
    lastlba?: number;
    sectorsize?: number;
    partitions?: {
      node: string;
      start: number;
      size: number;
      type: string;
      uuid?: string;
      name?: string;
      bootable?: boolean;
    }[];
  };
}

/** The number of a partition from its node name (sfdisk names them like the kernel: sda1, loop0p1, x.img1). */
export function partitionNumber(node: string, device: string): number {
  const rest = node.startsWith(device) ? node.slice(device.length).replace(/^p/, '') : '';
  const n = /^\d+$/.test(rest) ? rest : /(\d+)$/.exec(node)?.[1];
  if (n === undefined) throw new Error(`cannot tell the partition number of ${node}`);
  return Number(n);
}

/** Parses `sfdisk --json` output; sectorSize is used when sfdisk does not print one (older sfdisk). */
export function parseSfdiskJson(text: string, sectorSize = 512): PartitionTable {
  const t = (JSON.parse(text) as SfdiskJson).partitiontable;
  return {
    label: t.label,
    identifier: t.id,
    sectorSize: t.sectorsize ?? sectorSize,
    firstLba: t.firstlba ?? null,
    lastLba: t.lastlba ?? null,
    partitions: (t.partitions ?? []).map((p) => ({
      number: partitionNumber(p.node, t.device),
      start: p.start,
      size: p.size,
      type: t.label === 'dos' ? p.type.toLowerCase() : p.type.toUpperCase(),
      uuid: p.uuid ?? null,
      name: p.name ?? null,
      bootable: p.bootable === true,
    })),
  };
}

const NO_TABLE = /does not contain a recognized partition table/;

/** Size, sector size and partition table of a disk or image file. */
export async function readDiskLayout(path: string): Promise<DiskLayout> {
  const st = await stat(path);
  let sizeBytes: number;
  let sectorSize = 512;
  if (st.isBlockDevice()) {
    sizeBytes = Number((await run(['blockdev', '--getsize64', path])).stdout.trim());
    sectorSize = Number((await run(['blockdev', '--getss', path])).stdout.trim());
  } else if (st.isFile()) {
    sizeBytes = st.size;
  } else {
    throw new Error(`${path} is neither a block device nor a file`);
  }
  const argv = ['sfdisk', '--json', path];
  const r = await run(argv, { allowFailure: true });
  if (r.code !== 0 && !NO_TABLE.test(r.stderr)) throw new CommandError(argv, r.code, r.stderr);
  const table = r.code === 0 ? parseSfdiskJson(r.stdout, sectorSize) : null;
  return { path, sizeBytes, sectorSize, blockDevice: st.isBlockDevice(), table };
}

/** The table as an sfdisk script (`sfdisk --dump`), or null when the disk has none. */
export async function dumpPartitionTable(path: string): Promise<string | null> {
  const argv = ['sfdisk', '--dump', path];
  const r = await run(argv, { allowFailure: true });
  if (r.code === 0) return r.stdout;
  if (NO_TABLE.test(r.stderr)) return null;
  throw new CommandError(argv, r.code, r.stderr);
}

/** Splits `start=2048, size=4096, type=…, name="a, b"` at the commas outside quotes. */
function fields(spec: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const c of spec) {
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/**
 * The dump of one disk turned into a script for another: the disk's own identity goes (label-id,
 * device, last-lba, partition uuids), so sfdisk gives the copy fresh GUIDs and its own end of disk;
 * partitions are renamed to the target's names, because sfdisk takes each partition's number
 * from its name.
 */
export function copyScript(dump: string, targetPath: string): string {
  const device = /^device: (.*)$/m.exec(dump)?.[1]?.trim() ?? '';
  const out: string[] = [];
  for (const line of dump.split('\n')) {
    if (/^(label-id|device|last-lba):/.test(line)) continue;
    const part = /^(\S+) : (.*)$/.exec(line);
    if (!part) {
      out.push(line);
      continue;
    }
    const n = partitionNumber(part[1]!, device);
    const kept = fields(part[2]!).filter((f) => !/^uuid=/i.test(f));
    out.push(`${partitionName(targetPath, n)} : ${kept.join(', ')}`);
  }
  return `${out.join('\n').trimEnd()}\n`;
}

/** Saves the current table of `path` (or a note that it has none) in `dir`; returns the file. */
export async function backupPartitionTable(path: string, dir: string, now = new Date()): Promise<string> {
  const dump = await dumpPartitionTable(path);
  const stamp = now.toISOString().replace(/[-:]/g, '');
  const file = join(dir, `partition-backup-${basename(path)}-${stamp}.sfdisk`);
  const head = `# Partition table of ${path} on ${now.toISOString()}. Restore with: sfdisk ${path} < ${file}\n`;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFileAtomic(
    file,
    dump === null ? `${head}# ${path} had no partition table.\n` : `${head}${dump}`,
  );
  return file;
}

/**
 * Makes the kernel's partition list match the table on disk. sfdisk already asks the kernel to
 * re-read it, but that re-read uses the kernel's own table parsers (a kernel may have none);
 * partx tells it each partition explicitly.
 */
export async function rescanPartitions(path: string): Promise<void> {
  await run(['partx', '-u', path], { timeoutMs: 120_000 });
  await settleUdev();
}

/**
 * Copies the partition table of `source` onto `target` after saving target's old table in
 * `backupDir`. No data is copied. Returns the backup file.
 */
export async function copyPartitionTable(
  source: string,
  target: string,
  backupDir: string,
  now = new Date(),
): Promise<string> {
  const dump = await dumpPartitionTable(source);
  if (dump === null) throw new Error(`${source} has no partition table`);
  const backup = await backupPartitionTable(target, backupDir, now);
  await run(['sfdisk', '--quiet', '--wipe', 'always', target], {
    input: copyScript(dump, target),
    timeoutMs: 120_000,
  });
  if ((await stat(target)).isBlockDevice()) await rescanPartitions(target);
  return backup;
}
