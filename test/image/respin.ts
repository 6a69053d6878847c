// Another image to upgrade to: the built ISO's tree under another version name (its manifest
// says so), remade into an ISO. The files are hard links, so this takes seconds, not a rebuild.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run } from '../../src/platform/run.js';

export async function respinIso(imageDir: string, version: string): Promise<string> {
  const tree = join(imageDir, `iso-${version}`);
  await rm(tree, { recursive: true, force: true });
  await run(['cp', '-al', join(imageDir, 'iso'), tree]);
  const file = join(tree, 'live', 'tandem-manifest.json');
  const manifest = JSON.parse(await readFile(file, 'utf8')) as { version: string };
  manifest.version = version;
  // A new file, not a write through the hard link (that would change the original too).
  await rm(file);
  await writeFile(file, `${JSON.stringify(manifest, null, 2)}\n`);
  const iso = join(imageDir, `tandem-${version}.iso`);
  await run(['grub-mkrescue', '-o', iso, tree, '--', '-volid', 'TANDEM'], { timeoutMs: 600_000 });
  await rm(tree, { recursive: true, force: true });
  return iso;
}
