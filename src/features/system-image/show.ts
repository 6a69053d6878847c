// show system image: the installed images, which one boots by default, which one runs, and the
// state of an upgrade (waiting for its first boot, or rolled back).
import { renderTable } from '../../cli/table.js';
import type { BootState, InstalledImage } from './store.js';
import type { RunningSystem } from './runningSystem.js';

export interface SystemImageView {
  running: RunningSystem['kind'];
  images: InstalledImage[];
  boot: BootState | null;
}

export function formatSystemImages(v: SystemImageView): string {
  if (v.running === 'live')
    return 'Running from the live medium: no image is installed (install it with: install image).';
  if (v.running === 'other') return 'Not running from a Tandem image.';
  const table = renderTable(
    ['Name', 'Built', 'Default boot', 'Running', 'Upgrade'],
    v.images.map((i) => [
      i.name,
      i.built ? i.built.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, 'Z') : '-',
      i.defaultBoot ? 'yes' : '',
      i.running ? 'yes' : '',
      i.pending ? 'trial boot pending' : '',
    ]),
  );
  const notes: string[] = [];
  if (v.boot?.failed)
    notes.push(`The last upgrade, to ${v.boot.failed}, did not reach tandemd and was rolled back.`);
  return [table, ...notes].join('\n');
}
