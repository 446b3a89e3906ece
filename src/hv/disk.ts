/**
 * The virtual disk behind DIAGNOSE 0x250 (docs/hypervisor-services.md): 4 KB
 * blocks, either a host file (`--disk FILE`) or a generated disk whose block n
 * holds a pattern the guest can verify byte by byte.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';

export const BLOCK_SIZE = 4096;

export interface VirtualDisk {
  /** number of 4 KB blocks */
  readonly blocks: number;
  /** copy block `n` into dst[off .. off+4095] */
  read(n: number, dst: Uint8Array, off: number): void;
  /** copy src[off .. off+4095] to block `n` */
  write(n: number, src: Uint8Array, off: number): void;
  readonly description: string;
  close?(): void;
  /** what the guest wrote so far, for machine snapshots (absent: writes cannot be undone) */
  snapshot?(): unknown;
  restore?(s: unknown): void;
}

/** Byte k of block n of the generated disk (the documented pattern). */
export function patternByte(n: number, k: number): number {
  return (n * 131 + k * 7 + (k >> 8)) & 0xff;
}

/**
 * Block n of the generated disk depends on n only through (n * 131) & 0xff:
 * the 256 different blocks, each made once, on first read. Copying one costs
 * a fraction of a microsecond; computing its 4096 bytes on every read took
 * ~24 us, a quarter of the demo's run (2,272 disk reads).
 */
const patternBlocks: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(256).fill(undefined);
function patternBlock(n: number): Uint8Array {
  const c = (n * 131) & 0xff;
  let b = patternBlocks[c];
  if (b === undefined) {
    b = new Uint8Array(BLOCK_SIZE);
    for (let k = 0; k < BLOCK_SIZE; k++) b[k] = patternByte(n, k);
    patternBlocks[c] = b;
  }
  return b;
}

/** The generated disk: pattern blocks, writes kept in memory. */
export class PatternDisk implements VirtualDisk {
  private readonly written = new Map<number, Uint8Array>();
  constructor(readonly blocks = 1024) {}
  get description(): string {
    return `generated pattern disk, ${this.blocks} blocks`;
  }
  read(n: number, dst: Uint8Array, off: number): void {
    const w = this.written.get(n);
    if (w !== undefined) {
      dst.set(w, off);
      return;
    }
    dst.set(patternBlock(n), off);
  }
  write(n: number, src: Uint8Array, off: number): void {
    this.written.set(n, src.slice(off, off + BLOCK_SIZE));
  }
  /** Written blocks are never modified in place (write stores a fresh copy): sharing them is safe. */
  snapshot(): Map<number, Uint8Array> {
    return new Map(this.written);
  }
  restore(s: unknown): void {
    this.written.clear();
    for (const [n, b] of s as Map<number, Uint8Array>) this.written.set(n, b);
  }
}

/** A host file as the disk; a partial last block is not addressable. */
export class FileDisk implements VirtualDisk {
  private readonly fd: number;
  readonly blocks: number;
  readonly writable: boolean;
  constructor(readonly path: string) {
    let fd: number;
    let writable = true;
    try {
      fd = openSync(path, 'r+');
    } catch {
      fd = openSync(path, 'r');
      writable = false;
    }
    this.fd = fd;
    this.writable = writable;
    this.blocks = Math.floor(fstatSync(fd).size / BLOCK_SIZE);
  }
  get description(): string {
    return `${this.path}, ${this.blocks} blocks${this.writable ? '' : ' (read-only)'}`;
  }
  read(n: number, dst: Uint8Array, off: number): void {
    const got = readSync(this.fd, dst, off, BLOCK_SIZE, n * BLOCK_SIZE);
    if (got < BLOCK_SIZE) dst.fill(0, off + got, off + BLOCK_SIZE);
  }
  write(n: number, src: Uint8Array, off: number): void {
    // a read-only file: the write is accepted and lost (as a write-protected minidisk would not be;
    // zhint keeps the guest running and reports it in the statistics)
    if (!this.writable) return;
    writeSync(this.fd, src, off, BLOCK_SIZE, n * BLOCK_SIZE);
  }
  close(): void {
    closeSync(this.fd);
  }
}
