import { describe, expect, it } from 'vitest';
import { NativeError } from '../../src/errors.js';
import { BpfMap, UpdateFlag } from '../../src/native/bpfMap.js';
import { BpfObject } from '../../src/native/bpfObject.js';

describe('native addon: BPF loader', () => {
  it('loads the counter object and lists its programs and maps', () => {
    const obj = BpfObject.load('if_counters');
    try {
      const names = obj.names();
      expect(names.programs).toEqual(
        expect.arrayContaining(['tc_count_ingress', 'tc_count_egress', 'xdp_count']),
      );
      expect(names.maps).toContain('if_counters');
      expect(obj.programFd('tc_count_ingress')).toBeGreaterThan(0);
    } finally {
      obj.close();
    }
  });

  it('gives a map that outlives its object, with per-CPU values and typed errors', () => {
    const obj = BpfObject.load('if_counters');
    const map = obj.map('if_counters');
    obj.close();
    try {
      expect(map.info).toMatchObject({
        keySize: 4,
        valueSize: 32,
        maxEntries: 4096,
        perCpu: true,
        name: 'if_counters',
      });
      const key = Buffer.from([7, 0, 0, 0]);
      const value = Buffer.alloc(map.info.valueBufferSize);
      value.writeBigUInt64LE(5n, 0); // CPU 0: rx_packets
      map.update(key, value, UpdateFlag.any);
      const perCpu = map.lookupPerCpu(key)!;
      expect(perCpu.reduce((sum, v) => sum + v.readBigUInt64LE(0), 0n)).toBe(5n);
      expect(() => map.update(Buffer.alloc(3), value)).toThrow(/key must be 4 bytes/);
      // Arrays cannot delete: the kernel's EINVAL comes back as a NativeError with its errno.
      expect(() => map.delete(key)).toThrow(NativeError);
    } finally {
      map.close();
    }
  });

  it('reports a missing program and a missing pinned map with errno and name', () => {
    const obj = BpfObject.load('if_counters');
    try {
      expect(() => obj.programFd('nope')).toThrow(
        expect.objectContaining({ errno: 2, message: expect.stringContaining("'nope'") }),
      );
    } finally {
      obj.close();
    }
    expect(() => BpfMap.openPinned('/sys/fs/bpf/tandem/no-such-instance/x')).toThrow(NativeError);
    expect(() => BpfObject.load('/nonexistent/prog.bpf.o')).toThrow(/nonexistent/);
  });
});
