/**
 * V8 optimizes no function whose bytecode is longer than 61,440 bytes (its
 * flag --max-optimized-bytecode-size). The plain interpreter loop
 * (src/cpu/interp.ts) is one function with every instruction whose semantics
 * are source inlined as a case: 59,455 bytes of bytecode on Node 20. A few
 * more cases, or larger ones, and V8 would leave it unoptimized: `--no-jit`
 * and the debugger would run about 30 times slower, with no error anywhere.
 * This test fails first.
 *
 * It asks V8 itself, through its natives syntax: this file runs in the
 * vitest project 'v8' (vitest.config.ts), with --allow-natives-syntax and
 * without concurrent recompilation, so the optimization it asks for happens
 * before the status is read.
 */
import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/machine.js';
import { interpreterLoop } from '../../src/cpu/interp.js';

// (the natives syntax only parses in code compiled at run time, not in this file)
const prepare = new Function('f', '%PrepareFunctionForOptimization(f)') as (f: unknown) => void;
const optimizeOnNextCall = new Function('f', '%OptimizeFunctionOnNextCall(f)') as (f: unknown) => void;
const optimizationStatus = new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number;
/** V8's OptimizationStatus bits (src/runtime/runtime.h) */
const TURBOFANNED = 1 << 6, INTERPRETED = 1 << 7;

/** The ALU loop of the bench: AGR, AGHI, NGR, XGR, BRCTG at 0x1000. */
function aluMachine(): Machine {
  const m = new Machine({ guestMem: 1 << 20, jit: false });
  m.load(0x1000, new Uint8Array([
    0xb9, 0x08, 0x00, 0x23, 0xa7, 0x2b, 0x00, 0x01, 0xb9, 0x80, 0x00, 0x42,
    0xb9, 0x82, 0x00, 0x54, 0xa7, 0x17, 0xff, 0xf8,
  ]));
  m.cpu.ia = 0x1000;
  m.cpu.hi[1] = 1; // r1: the loop count, 2^32
  return m;
}

describe('the plain interpreter loop', () => {
  it('is compiled by V8\'s optimizing compiler (its bytecode fits V8\'s limit)', () => {
    const loop = interpreterLoop(false);
    prepare(loop);
    const m = aluMachine();
    m.cpu.run(100_000);
    optimizeOnNextCall(loop);
    m.cpu.run(10_000);
    const status = optimizationStatus(loop);
    expect({ turbofanned: (status & TURBOFANNED) !== 0, interpreted: (status & INTERPRETED) !== 0 })
      .toEqual({ turbofanned: true, interpreted: false });
  });
});
