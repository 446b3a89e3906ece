/**
 * The machine's hypervisor options and its statistics object.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';

describe('hypervisor: machine options and stats()', () => {
  it('stats() is plain JSON with the census adding up to the guest frames', () => {
    const m = new Machine({ guestMem: 256 * 1024, hostMem: 64 * 1024 });
    m.storage.write8(0x10000, 1);
    const s = m.stats();
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(s).toMatchObject({ cmma: true, reclaimPolicy: 'state-aware', unusedAccess: 'addressing', guestFrames: 64, hostFrames: 16, steps: 0 });
    expect(Object.values(s.census).reduce((a, b) => a + b, 0)).toBe(64);
    expect(s.census.Sr).toBe(1);
    expect(s.essaByOrc).toHaveLength(8);
  });

  it('accepts the CLI spellings and rejects unknown ones', () => {
    expect(new Machine({ guestMem: 65536, reclaim: 'lru' }).stats().reclaimPolicy).toBe('clock');
    expect(new Machine({ guestMem: 65536, reclaim: 'hinting' }).stats().reclaimPolicy).toBe('state-aware');
    expect(new Machine({ guestMem: 65536, unusedAccess: 'fault' }).stats().unusedAccess).toBe('addressing');
    expect(() => new Machine({ guestMem: 65536, reclaim: 'random' as 'clock' })).toThrow(RangeError);
    expect(() => new Machine({ guestMem: 65536, hostMem: 8192 })).toThrow(/too small/);
    expect(() => new Machine({ guestMem: 65536, hostMem: 5000 })).toThrow(RangeError);
    expect(() => new Machine({ guestMem: 65536, disk: '/nonexistent/zhint-disk.img' })).toThrow();
  });

  it('facility147 installs facility 147 (ESSA no-DAT) in the CPU list STFLE stores', () => {
    expect(new Machine({ guestMem: 65536 }).cpu.hasFacility(147)).toBe(false);
    expect(new Machine({ guestMem: 65536, facility147: true }).cpu.hasFacility(147)).toBe(true);
  });

  it('a host larger than the guest is clamped to the guest', () => {
    expect(new Machine({ guestMem: 65536, hostMem: 1 << 20 }).stats().hostFrames).toBe(16);
  });
});
