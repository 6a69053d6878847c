// Before the image suite: build the appliance image once (the root file system comes from the
// cache unless the package list changed) and hand its path to every test file.
import type { TestProject } from 'vitest/node';
import { buildImage } from '../../image/build.js';
import { sweepStaleLabs } from '../../src/lab/sweep.js';

declare module 'vitest' {
  export interface ProvidedContext {
    iso: string;
    manifestHash: string;
    /** build/image: where tests put the images they derive (upgrade tests). */
    imageDir: string;
  }
}

export default async function setup(project: TestProject) {
  if (process.getuid?.() !== 0)
    throw new Error('the image suite needs root (mmdebstrap, chroot, loop mounts)');
  // Labs (the two-VM test's bridge) left by a crashed run.
  await sweepStaleLabs();
  const { iso, manifest } = await buildImage();
  project.provide('iso', iso);
  project.provide('manifestHash', manifest.hash);
  project.provide('imageDir', iso.slice(0, iso.lastIndexOf('/')));
}
