// `show version`: this build's version; on the appliance also the image's build date and the
// hash of its package manifest (/etc/tandem-manifest.json, written by image/build.ts).
import { readFile } from 'node:fs/promises';
import { packageVersion } from '../packageRoot.js';

const MANIFEST = '/etc/tandem-manifest.json';

export async function showVersion(json: boolean): Promise<string> {
  let image: { built: string; hash: string; suite: string } | null = null;
  try {
    image = JSON.parse(await readFile(MANIFEST, 'utf8')) as { built: string; hash: string; suite: string };
  } catch {
    // Not running from the appliance image.
  }
  const v = {
    version: packageVersion(),
    built: image?.built ?? null,
    manifestHash: image?.hash ?? null,
    base: image ? `Debian ${image.suite}` : null,
  };
  if (json) return JSON.stringify(v, null, 2);
  return [
    `Version:        ${v.version}`,
    `Built:          ${v.built ?? 'not an image build'}`,
    ...(v.manifestHash ? [`Manifest hash:  ${v.manifestHash}`, `Base system:    ${v.base}`] : []),
  ].join('\n');
}
