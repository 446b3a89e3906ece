/**
 * The host's swap: where a stable (or changed potentially-volatile) frame goes
 * when the host pages it out (content state p). One entry per preserved frame;
 * a write here is one host page-out, taking it back one host page-in. Host
 * frames come from, and go back to, the guest storage's slab allocator
 * (mm/slabs.ts).
 */

export class HostSwap {
  private readonly slots = new Map<number, Uint8Array>();

  get size(): number {
    return this.slots.size;
  }

  /** Page out: the frame's storage moves to swap (no copy: the host frame is handed over). */
  put(pfn: number, frame: Uint8Array): void {
    this.slots.set(pfn, frame);
  }

  /** Page in: take the preserved content back (undefined if none). */
  take(pfn: number): Uint8Array | undefined {
    const fr = this.slots.get(pfn);
    if (fr !== undefined) this.slots.delete(pfn);
    return fr;
  }

  /** Look at the preserved content without paging it in (debugger). */
  peek(pfn: number): Uint8Array | undefined {
    return this.slots.get(pfn);
  }

  /** Drop the preserved copy (ESSA set-unused / set-volatile / clean P on a p frame); returns its host frame, now free. */
  drop(pfn: number): Uint8Array | undefined {
    const fr = this.slots.get(pfn);
    if (fr !== undefined) this.slots.delete(pfn);
    return fr;
  }

  /** Every preserved frame as [pfn, content] (machine snapshots; the arrays are the live ones). */
  entries(): [number, Uint8Array][] {
    return [...this.slots];
  }

  /** Replace the swap with these preserved frames (machine snapshots; the arrays are taken over). */
  restore(entries: Iterable<[number, Uint8Array]>): void {
    this.slots.clear();
    for (const [pfn, fr] of entries) this.slots.set(pfn, fr);
  }

  clear(): void {
    this.slots.clear();
  }
}
