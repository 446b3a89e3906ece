import { describe, expect, it } from 'vitest';
import { boot, describeRun, haveBinutils, runProgram, type Flavor } from './runner.js';

const PROGS = ['psw.s', 'svc.s', 'timers.s', 'cr.s', 'misc.s', 'dat.s', 'keys.s', 'per.s'];

for (const flavor of ['zhint-asm', 'gnu-as'] as Flavor[]) {
  describe(`misc: supervisor programs (${flavor})`, () => {
    for (const p of PROGS) {
      it.skipIf(flavor === 'gnu-as' && !haveBinutils())(`${p} ends in the success wait (needs binutils-s390x-linux-gnu for gnu-as)`, () => {
        const r = runProgram(p, flavor);
        expect(r.result.exitCode, describeRun(r)).toBe(0);
      });
    }
  });
}

describe('misc: machine-level stops and restart', () => {
  it('restart() delivers a restart interruption out of a disabled wait (old PSW at 0x120, new from 0x1a0)', () => {
    const m = boot('svc.s', 'zhint-asm');
    m.storage.load(0x2000, new Uint8Array([0xb2, 0xb2, 0x00, 0x00])); // lpswe 0 → garbage; only the PSW swap matters
    const r1 = m.run(1_000_000);
    expect(r1.exitCode).toBe(0);
    // restart new PSW: disabled wait at 0xfff (success again), stored by the guest's lowcore
    m.storage.write32(0x1a0, 0x00020000); m.storage.write32(0x1a4, 0);
    m.storage.write32(0x1a8, 0); m.storage.write32(0x1ac, 0xfff);
    m.cpu.restart();
    const r2 = m.run(10);
    expect(r2.reason).toBe('disabled-wait');
    expect(m.storage.read32(0x120)).toBe(0x00020000); // old PSW: the previous wait PSW
    expect(m.storage.read32(0x12c)).toBe(0xfff);
  });
  it('an enabled wait that nothing can end stops with a clear message', () => {
    const m = boot('svc.s', 'zhint-asm');
    m.storage.write32(0x400, 0x01020001); m.storage.write32(0x404, 0x80000000);
    m.storage.write32(0x408, 0); m.storage.write32(0x40c, 0x500);
    m.cpu.loadPsw(0x01020001, 0x80000000, 0x500);
    const r = m.run(100);
    expect(r.reason).toBe('enabled-wait');
    expect(r.message).toMatch(/no interruption that can arrive/);
  });
  it('an invalid program new PSW stops with "program interruption loop"', () => {
    const m = boot('svc.s', 'zhint-asm');
    m.storage.write32(0x1d0, 0x80000000); // bit 0 set: invalid
    m.storage.load(0x200, new Uint8Array([0x03, 0x00])); // operation exception at _start
    const r = m.run(100);
    expect(r.reason).toBe('program-interruption-loop');
    expect(r.message).toMatch(/program interruption loop: code 0x0001 at 0x202/);
  });
});
