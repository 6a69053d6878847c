// show raid <md>: mdadm --detail parsed, the state flags taken from the md driver (spec R-2,
// R-3), and the colon-aligned layout of spec §3.3 with exact sizes.
import { describe, expect, it } from 'vitest';
import {
  arrayView,
  formatArrayDetail,
  parseMdadmDetail,
  sizeText,
} from '../../../src/features/raid/arrayDetail.js';
import type { MdSysfs } from '../../../src/platform/mdadm.js';

// mdadm 4.2 during a rebuild onto a replacement member.
const RECOVERING = `/dev/md0:
           Version : 1.2
     Creation Time : Sun Dec  6 07:00:00 2026
        Raid Level : raid1
        Array Size : 1460224 (1426.00 MiB 1495.27 MB)
     Used Dev Size : 1460224 (1426.00 MiB 1495.27 MB)
      Raid Devices : 2
     Total Devices : 2
       Persistence : Superblock is persistent

       Update Time : Sun Dec  6 07:10:00 2026
             State : clean, degraded, recovering 
    Active Devices : 1
   Working Devices : 2
    Failed Devices : 0
     Spare Devices : 1

Consistency Policy : resync

    Rebuild Status : 17% complete

              Name : any:0
              UUID : 981abd77:9f8c8dd8:fdbf4de4:3436c70f
            Events : 103

    Number   Major   Minor   RaidDevice State
       0     253        3        0      active sync   /dev/vda3
       2     253       19        1      spare rebuilding   /dev/vdb3
`;

// A failed member still attached: its slot is empty ("removed"), the member is "faulty".
const FAILED = `/dev/md0:
           Version : 1.2
        Raid Level : raid1
        Array Size : 1460224 (1426.00 MiB 1495.27 MB)
      Raid Devices : 2
     Total Devices : 2
             State : clean, degraded 
    Active Devices : 1
   Working Devices : 1
    Failed Devices : 1
     Spare Devices : 0
              UUID : 981abd77:9f8c8dd8:fdbf4de4:3436c70f
            Events : 120

    Number   Major   Minor   RaidDevice State
       0     253        3        0      active sync   /dev/vda3
       -       0        0        1      removed

       1     253       19        -      faulty   /dev/vdb3
`;

function sysfs(over: Partial<MdSysfs>): MdSysfs {
  return {
    level: 'raid1',
    arrayState: 'clean',
    degraded: 0,
    syncAction: 'idle',
    syncCompleted: null,
    syncDelayed: false,
    raidDisks: 2,
    componentSizeKiB: 1460224,
    members: [],
    ...over,
  };
}

describe('show raid <md>', () => {
  it('parses the fields and every kind of member row', () => {
    const d = parseMdadmDetail(FAILED);
    expect(d.fields.get('Failed Devices')).toBe('1');
    expect(d.members).toEqual([
      { number: 0, major: 253, minor: 3, raidDevice: 0, state: 'active sync', device: 'vda3' },
      { number: null, major: 0, minor: 0, raidDevice: 1, state: 'removed', device: null },
      { number: 1, major: 253, minor: 19, raidDevice: null, state: 'faulty', device: 'vdb3' },
    ]);
  });

  it('takes the state and the progress from the md driver, not from mdadm', () => {
    // sysfs is newer than the text: the rebuild has moved on to 42 %.
    const v = arrayView(
      'md0',
      RECOVERING,
      sysfs({ degraded: 1, syncAction: 'recover', syncCompleted: [1226589, 2920448] }),
      true,
    );
    expect(v.state).toEqual({
      clean: true,
      active: false,
      degraded: true,
      recovering: true,
      resyncing: false,
      synchronized: false,
    });
    expect(v.stateText).toBe('clean, degraded, recovering');
    expect(v.rebuild).toEqual({ action: 'recover', percent: 42, delayed: false });
    expect(v.createdAt).toBe(new Date(2026, 11, 6, 7, 0, 0).toISOString());
    expect(v.name).toBe('any:0');
    expect(v.rootFilesystem).toBe(true);
    expect(v.members[1]).toMatchObject({
      number: 2,
      raidDevice: 1,
      state: 'spare rebuilding',
      device: 'vdb3',
    });

    // A resync after an unclean shutdown: active, resyncing, never degraded.
    const r = arrayView(
      'md0',
      RECOVERING,
      sysfs({ arrayState: 'active', syncAction: 'resync', syncCompleted: [1, 4] }),
      false,
    );
    expect(r.stateText).toBe('active, resyncing');
    expect(r.state.synchronized).toBe(false);
    expect(r.rebuild).toEqual({ action: 'resync', percent: 25, delayed: false });

    // Whole: no rebuild line at all.
    const s = arrayView('md0', RECOVERING, sysfs({}), false);
    expect(s.state.synchronized).toBe(true);
    expect(s.rebuild).toBeNull();
    expect(formatArrayDetail(s)).not.toContain('Rebuild Status');
  });

  it('prints the fields in the spec order, colons aligned, the member table last', () => {
    const text = formatArrayDetail(
      arrayView(
        'md0',
        RECOVERING,
        sysfs({ degraded: 1, syncAction: 'recover', syncCompleted: [17, 100] }),
        true,
      ),
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('/dev/md0:');
    const labels = lines.filter((l) => l.includes(' : ')).map((l) => l.split(' : ')[0]!.trim());
    expect(labels).toEqual([
      'Version',
      'Creation Time',
      'Raid Level',
      'Array Size',
      'Used Dev Size',
      'Raid Devices',
      'Total Devices',
      'Persistence',
      'Update Time',
      'State',
      'Active Devices',
      'Working Devices',
      'Failed Devices',
      'Spare Devices',
      'Consistency Policy',
      'Rebuild Status',
      'Name',
      'UUID',
      'Events',
    ]);
    const colons = new Set(lines.filter((l) => l.includes(' : ')).map((l) => l.indexOf(' : ')));
    expect(colons.size).toBe(1);
    expect(text).toContain('Rebuild Status : 17% complete');
    expect(text).toContain('Creation Time : Sun Dec  6 07:00:00 2026');
    expect(lines.at(-2)).toMatch(/^\s+0\s+253\s+3\s+0\s+active sync\s+\/dev\/vda3$/);
    expect(lines.at(-1)).toMatch(/^\s+2\s+253\s+19\s+1\s+spare rebuilding\s+\/dev\/vdb3$/);
  });

  it('prints sizes exactly (the guide example is 1020.31 MiB, not its 1020.48)', () => {
    expect(sizeText(1044800)).toBe('1044800 (1020.31 MiB 1069.88 MB)');
    expect(sizeText(3 * 1024 * 1024)).toBe('3145728 (3.00 GiB 3.22 GB)');
  });
});
