import { describe, expect, it } from 'vitest';
import { commandOutput } from '../../../src/lab/qemuGuest.js';

describe('commandOutput', () => {
  it('drops kernel log lines written between and inside the lines of a command', () => {
    const console =
      '{\r\n  "name": "md[   45.123456] md/raid1:md0: Disk failure on vdb3, disabling device.\r\n' +
      '0",\r\n[  101.000001] tandem: RAID set md0: member vdb3 failed\r\n  "level": 1\r\n}\r\n';
    expect(JSON.parse(commandOutput(console))).toEqual({ name: 'md0', level: 1 });
  });

  it('keeps bracketed text that is not a kernel timestamp, and drops escape sequences', () => {
    expect(commandOutput('\x1b[?2004l[1.5] ok\r\n[ 3] x\r\n')).toBe('[1.5] ok\n[ 3] x\n');
  });
});
