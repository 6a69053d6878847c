// The commit archive: every committed configuration as config.boot text, newest first, the last
// 100 kept, with who committed it, when, how and why.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TandemError } from '../errors.js';
import { writeFileAtomic } from '../platform/atomicFile.js';

export const ARCHIVE_SIZE = 100;

export interface ArchiveEntry {
  /** Monotonic sequence number; the file is `<seq>.boot`. */
  seq: number;
  time: string;
  user: string;
  via: string;
  comment?: string;
}

export class CommitArchive {
  private entries: ArchiveEntry[] = []; // newest first

  private constructor(private readonly dir: string) {}

  static async open(stateDir: string): Promise<CommitArchive> {
    const a = new CommitArchive(join(stateDir, 'archive'));
    await mkdir(a.dir, { recursive: true });
    try {
      a.entries = JSON.parse(await readFile(join(a.dir, 'index.json'), 'utf8')) as ArchiveEntry[];
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    return a;
  }

  /** Newest first: index 0 is the running configuration's revision. */
  list(): readonly ArchiveEntry[] {
    return this.entries;
  }

  async record(text: string, who: Omit<ArchiveEntry, 'seq' | 'time'>): Promise<ArchiveEntry> {
    const entry: ArchiveEntry = {
      seq: (this.entries[0]?.seq ?? 0) + 1,
      time: new Date().toISOString(),
      ...who,
    };
    await writeFileAtomic(join(this.dir, `${entry.seq}.boot`), text);
    const dropped = this.entries.slice(ARCHIVE_SIZE - 1);
    this.entries = [entry, ...this.entries.slice(0, ARCHIVE_SIZE - 1)];
    await writeFileAtomic(join(this.dir, 'index.json'), `${JSON.stringify(this.entries, null, 1)}\n`);
    for (const old of dropped) await rm(join(this.dir, `${old.seq}.boot`), { force: true });
    return entry;
  }

  /** The config.boot text of revision `index` (0 = newest). */
  async text(index: number): Promise<string> {
    const entry = this.entries[index];
    if (!entry) {
      throw new TandemError(
        'NO_REVISION',
        `no revision ${index} (the archive holds 0-${this.entries.length - 1})`,
      );
    }
    return readFile(join(this.dir, `${entry.seq}.boot`), 'utf8');
  }
}
