/**
 * The slow paths of the memory pieces of isa/sem.ts (`S.ld8` ... `S.st64`,
 * `S.ss`): the MMU's access with every check, and the byte loops of
 * isa/ss.ts. Each catches the program exception its access raises in its
 * own small frame and leaves it in `c.fault`, where the piece's `$FAULT`
 * hands it on: returned by the interpreter loop or a compiled block, thrown
 * by an exec function.
 *
 * Why not let it unwind: V8 finds the handler in a function running as
 * baseline (Sparkplug) code by scanning that function's code from its start
 * up to the call that threw, and compiled blocks and the interpreter loop are
 * large. A page fault caught in a block V8 had just deoptimized cost ~5 us
 * instead of ~0.5, and the guest kernel ran at 25 instead of 40 MIPS in about
 * one process of four. Caught here, it costs the same whatever code the
 * caller runs as.
 */
import type { Cpu } from '../cpu.js';
import * as SS from './ss.js';

type Access = (c: Cpu, a: number, b: number, d: number) => number | void;

/** `f` with its exception caught into `c.fault` (and 0 returned). */
function caught(f: Access): (c: Cpu, a: number, b?: number, d?: number) => number {
  return function slowPath(c: Cpu, a: number, b = 0, d = 0): number {
    try {
      return f(c, a, b, d) ?? 0;
    } catch (e) {
      c.fault = e;
      return 0;
    }
  };
}

export const ld8 = caught((c, ea) => c.mem.ld8(ea));
export const ld16 = caught((c, ea) => c.mem.ld16(ea));
export const ld32 = caught((c, ea) => c.mem.ld32(ea));
/** the doubleword lands in `c.mem.rhi` / `rlo` */
export const ld64 = caught((c, ea) => c.mem.ld64(ea));
export const st8 = caught((c, ea, v) => c.mem.st8(ea, v));
export const st16 = caught((c, ea, v) => c.mem.st16(ea, v));
export const st32 = caught((c, ea, v) => c.mem.st32(ea, v));
export const st64 = caught((c, ea, h, l) => c.mem.st64(ea, h, l));
/** isa/ss.ts `move`, `translate`, `compare` (its cc returned) with operands (len, first, second) */
export const move = caught((c, len, d, s) => SS.move(c, len, d, s));
export const translate = caught((c, len, d, t) => SS.translate(c, len, d, t));
export const compare = caught((c, len, a, b) => SS.compare(c, len, a, b));
