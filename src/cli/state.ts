/**
 * The final machine state as plain JSON (`zhint run --json`): PSW, registers
 * as 16-digit hex strings, condition code, step count, why and how the
 * program stopped, console text and the hypervisor's statistics.
 */
import type { Machine, RunResult } from '../machine.js';
import { hex, hex64 } from '../trace/trace.js';

export interface FinalState {
  file: string;
  psw: { mask: string; address: string };
  gprs: string[];
  crs: string[];
  cc: number;
  steps: number;
  stop: { reason: string; code: number; message: string };
  console: string;
  stats?: unknown;
}

/** BigInt counters become numbers when exact, else decimal strings; Maps become objects. */
function plain(v: unknown): unknown {
  if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x)]));
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>, plain);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

export function finalState(file: string, m: Machine, r: RunResult): FinalState {
  const c = m.cpu;
  const gprs: string[] = [];
  const crs: string[] = [];
  for (let k = 0; k < 16; k++) {
    gprs.push('0x' + hex64(c.hi[k], c.lo[k]));
    crs.push('0x' + hex64(c.crh[k], c.crl[k]));
  }
  const s: FinalState = {
    file,
    psw: {
      mask: '0x' + hex64(c.pswMaskHi(), c.pswMaskLo()),
      address: '0x' + hex(c.ia, 16),
    },
    gprs,
    crs,
    cc: c.cc,
    steps: c.steps,
    stop: { reason: r.reason, code: r.exitCode, message: r.message },
    console: m.console,
  };
  const stats = (m as unknown as { stats?: () => unknown }).stats;
  if (typeof stats === 'function') s.stats = plain(stats.call(m));
  return s;
}
