/**
 * The byte loops of TRANSLATE and COMPARE LOGICAL (character) as WebAssembly,
 * run on frames that live in the same WebAssembly memory (slabs.ts).
 *
 * Why: a JavaScript loop over typed arrays costs about 1 ns per element access
 * here (V8 reloads and bounds-checks the array on every access), and the
 * guest kernel's page checks are 256-byte TR and CLC. WebAssembly does the
 * same work without those checks: 256-byte TR ~75 ns instead of ~155 ns
 * (word loop in JavaScript, plus ~50 ns copying the table), CLC ~12-20 ns
 * instead of ~75 ns (Node's Buffer compare, mostly argument checks).
 *
 * The module is written out below, opcode by opcode (WebAssembly core spec,
 * binary format), so no toolchain is needed to build it. Both functions take
 * byte offsets into the memory; the caller guarantees the ranges are inside
 * it. WebAssembly memory is little-endian: a 32-bit load of bytes b0..b3
 * gives b0 in its low 8 bits, and the store puts them back where they were.
 */

/** unsigned LEB128 (WebAssembly's integer encoding) */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** signed LEB128, for i32.const */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

// ---- the instructions used (opcode bytes; memory immediates: align 0, then the offset) ----
const I32 = 0x7f;
const get = (l: number): number[] => [0x20, l];
const set = (l: number): number[] => [0x21, l];
const tee = (l: number): number[] => [0x22, l];
const i32 = (n: number): number[] => [0x41, ...sleb(n)];
const load8 = (offset = 0): number[] => [0x2d, 0, ...uleb(offset)]; // i32.load8_u
const LOAD8 = load8();
const LOAD64 = [0x29, 0, 0]; // i64.load
const STORE8 = [0x3a, 0, 0]; // i32.store8
const store32 = (offset: number): number[] => [0x36, 0, ...uleb(offset)]; // i32.store
const MEMORY_COPY = [0xfc, 0x0a, 0, 0]; // memory.copy (bulk memory: memmove)
const V128_LOAD = (offset = 0): number[] => [0xfd, 0x00, 0, ...uleb(offset)]; // v128.load (SIMD)
const V128_STORE = (offset = 0): number[] => [0xfd, 0x0b, 0, ...uleb(offset)]; // v128.store
const V128_OR = [0xfd, 0x50], V128_XOR = [0xfd, 0x51], V128_ANY_TRUE = [0xfd, 0x53];
const ADD = [0x6a], OR = [0x72], SHL = [0x74];
const NE = [0x47], LT_U = [0x49], GT_U = [0x4b], GE_U = [0x4f], I64_NE = [0x52];
const SELECT = [0x1b];
const BLOCK = [0x02, 0x40], LOOP = [0x03, 0x40], IF = [0x04, 0x40], END = [0x0b];
const BR = (depth: number): number[] => [0x0c, depth];
const BR_IF = (depth: number): number[] => [0x0d, depth];
const RETURN = [0x0f];

/**
 * Where TR copies its table: bytes 0-255 of the memory (slabs.ts keeps the
 * first 64K of every slab for it). A table at address 0 is indexed by the
 * byte itself, with no address to add: ~20% fewer instructions per byte.
 */
export const TABLE_AT = 0;
/** bytes of the memory before the first frame */
export const FRAMES_AT = 65536;

/**
 * translate the word at d + offset (local 0 = d): each byte loaded by itself
 * and looked up, the four results put together and stored as one word
 * (little-endian: byte k in bits 8k..8k+7). Loading the word once and
 * taking it apart with shifts and masks took ~10% longer.
 */
function word(offset: number): number[] {
  const out = [...get(0)];
  for (let k = 0; k < 4; k++) {
    out.push(...get(0), ...load8(offset + k), ...load8(TABLE_AT));
    if (k > 0) out.push(...i32(8 * k), ...SHL, ...OR);
  }
  return [...out, ...store32(offset)];
}

/**
 * Copy the 256 bytes at local `from` to TABLE_AT, sixteen at a time
 * (memory.copy calls out of WebAssembly into the runtime: ~5 ns even for
 * no bytes, as much as this whole copy).
 */
function copyTable(from: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < 256; k += 16) out.push(...i32(TABLE_AT), ...get(from), ...V128_LOAD(k), ...V128_STORE(k));
  return out;
}

/** while at least `n` bytes are left (locals 0 d, 3 end): translate n bytes, n/4 words, d += n */
function words(n: number): number[] {
  return [
    ...BLOCK, ...LOOP,
    ...get(0), ...i32(n), ...ADD, ...get(3), ...GT_U, ...BR_IF(1),
    ...Array.from({ length: n / 4 }, (_, k) => 4 * k).flatMap(word),
    ...get(0), ...i32(n), ...ADD, ...set(0), ...BR(0),
    ...END, ...END,
  ];
}

/**
 * tr(d, len, t): bytes [d, d+len) := table[byte], table at t. The table is
 * copied to TABLE_AT first; then 128 bytes per step, then 32, then the tail
 * byte by byte (128 rather than 32 only: 1071 -> 1035 machine instructions
 * per 256-byte call under valgrind, the loop's own count and compare done
 * a quarter as often). Operand and table must not overlap (then the order
 * of the translations cannot matter).
 * Locals: 0 d, 1 len, 2 t, 3 end.
 */
const TR = [
  1, 1, I32,
  ...copyTable(2),
  ...get(0), ...get(1), ...ADD, ...set(3),
  ...words(128),
  ...words(32),
  ...BLOCK, ...LOOP,
  ...get(0), ...get(3), ...GE_U, ...BR_IF(1),
  ...get(0), ...get(0), ...LOAD8, ...load8(TABLE_AT), ...STORE8,
  ...get(0), ...i32(1), ...ADD, ...set(0), ...BR(0),
  ...END, ...END,
  ...END,
];

/**
 * clc(a, b, len) → the PoP's cc: 0 equal, 1 first operand low, 2 high
 * (unsigned bytes, the first difference from the left decides). 32 bytes
 * per step while equal (two 16-byte SIMD compares: the bytes that differ
 * are the non-zero bytes of a XOR b), then 8, then byte by byte from where
 * the wider steps stopped: a difference is found by the narrower steps.
 * Locals: 0 a, 1 b, 2 len, 3 i, 4 x, 5 y.
 */
const CLC = [
  1, 3, I32,
  ...BLOCK, ...LOOP,
  ...get(3), ...i32(32), ...ADD, ...get(2), ...GT_U, ...BR_IF(1),
  ...get(0), ...get(3), ...ADD, ...V128_LOAD(0), ...get(1), ...get(3), ...ADD, ...V128_LOAD(0), ...V128_XOR,
  ...get(0), ...get(3), ...ADD, ...V128_LOAD(16), ...get(1), ...get(3), ...ADD, ...V128_LOAD(16), ...V128_XOR,
  ...V128_OR, ...V128_ANY_TRUE, ...BR_IF(1),
  ...get(3), ...i32(32), ...ADD, ...set(3), ...BR(0),
  ...END, ...END,
  ...BLOCK, ...LOOP,
  ...get(3), ...i32(8), ...ADD, ...get(2), ...GT_U, ...BR_IF(1),
  ...get(0), ...get(3), ...ADD, ...LOAD64, ...get(1), ...get(3), ...ADD, ...LOAD64, ...I64_NE, ...BR_IF(1),
  ...get(3), ...i32(8), ...ADD, ...set(3), ...BR(0),
  ...END, ...END,
  ...BLOCK, ...LOOP,
  ...get(3), ...get(2), ...GE_U, ...BR_IF(1),
  ...get(0), ...get(3), ...ADD, ...LOAD8, ...tee(4),
  ...get(1), ...get(3), ...ADD, ...LOAD8, ...tee(5), ...NE,
  ...IF, ...i32(1), ...i32(2), ...get(4), ...get(5), ...LT_U, ...SELECT, ...RETURN, ...END,
  ...get(3), ...i32(1), ...ADD, ...set(3), ...BR(0),
  ...END, ...END,
  ...i32(0),
  ...END,
];

/** mvc(d, s, len): memmove; ~13 ns for 256 bytes where copyWithin on the memory takes ~20 */
const MVC = [
  0,
  ...get(0), ...get(1), ...get(2), ...MEMORY_COPY,
  ...END,
];

function moduleBytes(): Uint8Array<ArrayBuffer> {
  const types = section(1, [2,
    0x60, 3, I32, I32, I32, 0, // 0: (i32 i32 i32) -> ()
    0x60, 3, I32, I32, I32, 1, I32, // 1: (i32 i32 i32) -> i32
  ]);
  const imports = section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 1]); // memory, min 1 page
  const funcs = section(3, [3, 0, 1, 0]);
  const exports = section(7, [3, ...name('tr'), 0x00, 0, ...name('clc'), 0x00, 1, ...name('mvc'), 0x00, 2]);
  const code = section(10, [3, ...uleb(TR.length), ...TR, ...uleb(CLC.length), ...CLC, ...uleb(MVC.length), ...MVC]);
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...types, ...imports, ...funcs, ...exports, ...code]);
}

export interface FrameOps {
  tr(d: number, len: number, t: number): void;
  clc(a: number, b: number, len: number): number;
  mvc(d: number, s: number, len: number): void;
}

let compiled: WebAssembly.Module | null = null;

/**
 * The operations bound to one WebAssembly memory (the module is compiled once
 * per process). Returned in a plain object of one shape: every instance's
 * own exports object has a hidden class of its own, and code V8 optimized
 * for one machine's was thrown away when that machine died ("weak
 * objects"), in about half of all processes again for every machine.
 */
export function frameOps(memory: WebAssembly.Memory): FrameOps {
  compiled ??= new WebAssembly.Module(moduleBytes());
  const e = new WebAssembly.Instance(compiled, { env: { memory } }).exports as unknown as FrameOps;
  return { tr: e.tr, clc: e.clc, mvc: e.mvc };
}
