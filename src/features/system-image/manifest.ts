// The manifest that travels with every image (written by image/build.ts): version, build date,
// the packages asked for and installed, and the hash `show version` prints.
import { readFile } from 'node:fs/promises';

export interface ImageManifest {
  version: string;
  built: string;
  suite: string;
  packages: string[];
  /** dpkg -l of the root file system: "name version" lines, sorted. */
  installed: string[];
  hash: string;
}

/** The manifest inside a running image. */
export const RUNNING_MANIFEST = '/etc/tandem-manifest.json';
/** Its name next to an image's squashfs (on the ISO's live/ and under /boot/<version>/). */
export const MANIFEST_FILE = 'tandem-manifest.json';

export async function readManifest(path: string): Promise<ImageManifest | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as ImageManifest;
  } catch {
    return null;
  }
}
