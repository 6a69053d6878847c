// `show version`: this build's version; on the appliance also the image's build date and the
// hash of its package manifest (/etc/tandem-manifest.json, written by image/build.ts).
import { readManifest, RUNNING_MANIFEST } from '../features/system-image/manifest.js';
import { packageVersion } from '../packageRoot.js';

export async function showVersion(json: boolean): Promise<string> {
  // Null when not running from the appliance image.
  const image = await readManifest(RUNNING_MANIFEST);
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
