/**
 * The guest kernel's peer build (PEER defined, programs/kernel/ramdisk.s): a
 * RAM disk in storage instead of zhint's DIAGNOSE 0x250, so that machines
 * without zhint's hypervisor services run it (`npm run bench` times it on
 * Hercules). It must be the same program as the normal build in every other
 * respect: same results on zhint, byte-identical under GNU as, and it must
 * run to the success PSW on Hercules 3.13 as well.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Machine } from '../../src/machine.js';
import { PatternDisk } from '../../src/hv/disk.js';
import { assembleKernel, loadKernel, readResults, type KernelParams } from '../../src/demo/kernel.js';
import { gnuBinary, gnuKernel } from '../../src/bench/peers.js';
import { PEER_KERNEL, peerKernelImage, peerKernelParams } from '../../src/bench/extras.js';
import { herculesRunner, runHercules } from '../../src/testing/tools.js';

const MiB = 1024 * 1024;

/** GNU as + ld of the peer build (ELF, linked at 0, its raw image beside it as .bin), or null without binutils. */
function gnuPeerElf(dir: string): string | null {
  try {
    const elf = gnuKernel(dir, true);
    gnuBinary(dir, elf);
    return elf;
  } catch {
    return null;
  }
}

describe('kernel peer build', () => {
  it('assembles with zhint to the same bytes as GNU as --defsym PEER=1', (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'zhk-peer-'));
    try {
      if (gnuPeerElf(dir) === null) {
        ctx.skip('needs s390x-linux-gnu-as/ld/objcopy (Debian package binutils-s390x-linux-gnu)');
        return;
      }
      const gnu = new Uint8Array(readFileSync(join(dir, 'kernel.bin')));
      const k = assembleKernel({ peer: true });
      expect(Buffer.from(k.image).equals(Buffer.from(gnu))).toBe(true);
      // and it is a different program from the normal build (DISKIO expands differently)
      expect(Buffer.from(k.image).equals(Buffer.from(assembleKernel().image))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the normal build\'s results on zhint (no hinting, no memory pressure, no ticks)', () => {
    const passes = 3;
    const params: KernelParams = peerKernelParams(passes);
    // the normal build: DIAGNOSE 0x250 on the generated disk, CMMA off, host = guest
    const a = new Machine({ guestMem: params.guestMem, cmma: false, disk: new PatternDisk(params.fileBlocks) });
    loadKernel(a, params);
    expect(a.run(100_000_000).exitCode).toBe(0);
    // the peer build: RAM disk above the guest's frames
    const b = new Machine({ guestMem: PEER_KERNEL.storageMiB * MiB, cmma: false });
    b.load(0, peerKernelImage(passes));
    b.start(PEER_KERNEL.entry);
    expect(b.run(100_000_000).exitCode).toBe(0);
    const ra = readResults(a), rb = readResults(b);
    expect(rb.status).toBe(1);
    expect(rb.diskReads).toBe(params.fileBlocks);
    expect(rb.verified).toBeGreaterThan(params.fileBlocks * passes);
    for (const f of ['diskReads', 'reReads', 'pageFaults', 'writeBacks', 'verified', 'allocs', 'frees', 'cacheHits', 'ticks'] as const) {
      expect(rb[f], f).toBe(ra[f]);
    }
    expect(rb.hinting).toBe(0);
  });

  it('runs to the success PSW on Hercules 3.13, with zhint\'s final registers', (ctx) => {
    const herc = herculesRunner();
    const dir = mkdtempSync(join(tmpdir(), 'zhk-peer-'));
    try {
      const elf = gnuPeerElf(dir);
      if (elf === null || herc === null) {
        ctx.skip('needs Hercules 3.13 and GNU binutils for s390x (Debian packages hercules and binutils-s390x-linux-gnu)');
        return;
      }
      // the image's own parameter block: 8 MiB guest, 3 MiB file on the RAM disk, 3 passes
      const out = runHercules(herc, elf);
      expect(out).toMatch(/stopped: disabled wait/);
      expect(out).toMatch(/PSW=00020000 00000000 0000000000000FFF/);
      const m = new Machine({ guestMem: PEER_KERNEL.storageMiB * MiB, cmma: false });
      m.load(0, new Uint8Array(readFileSync(join(dir, 'kernel.bin'))));
      m.start(PEER_KERNEL.entry);
      expect(m.run(100_000_000).exitCode).toBe(0);
      for (let r = 0; r < 16; r++) {
        const v = `${m.cpu.hi[r].toString(16).padStart(8, '0')}${m.cpu.lo[r].toString(16).padStart(8, '0')}`;
        expect(out).toContain(`R${r.toString(16).toUpperCase()}=${v.toUpperCase()}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
