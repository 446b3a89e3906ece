import { describe, expect, it } from 'vitest';
import { describeRun, haveBinutils, runProgram, type Flavor } from './runner.js';

const PROGS = ['psw.s', 'svc.s', 'timers.s', 'cr.s', 'misc.s', 'dat.s'];

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
