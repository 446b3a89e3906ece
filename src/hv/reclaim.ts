/**
 * Host frame reclaim: which resident guest frame gives up its host frame when
 * the pool of H host frames is full (shared spec page-hinting.md §4).
 *
 * - `clock`: the classic second-chance scan over the host frames. The host's
 *   own reference bit (KEY_HOST_R, set with the guest's R on every access) is
 *   cleared as the hand passes; the first frame found with it clear is the
 *   victim. States are ignored for the choice (what happens to the victim
 *   still depends on its state: a U or V frame is dropped, an S frame paged
 *   out). This is the baseline.
 * - `state-aware` (default): prefer what costs no I/O. First the frames the
 *   guest declared unused (Ur), then volatile and clean potentially-volatile
 *   frames (Vr, Pr with change bit 0), each class with its own second-chance
 *   queue; only then the clock, which pages out.
 *
 * Cost: the candidate queues are filled when a frame enters a class (ESSA,
 * page-in of a U/V/P frame) and validated lazily when popped, so each entry
 * is handled O(1) times; a pass clears at most as many reference bits as
 * accesses set, so reclaim is O(1) amortized per access, whatever G is.
 */

export type ReclaimPolicy = 'state-aware' | 'clock';
export const RECLAIM_POLICIES: readonly ReclaimPolicy[] = ['state-aware', 'clock'];

/** A FIFO of frame numbers (growable ring buffer; no allocation in steady state). */
export class FrameQueue {
  private buf: Int32Array;
  private head = 0;
  private count = 0;

  constructor(capacity = 64) {
    this.buf = new Int32Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  push(pfn: number): void {
    if (this.count === this.buf.length) this.grow();
    this.buf[(this.head + this.count) % this.buf.length] = pfn;
    this.count++;
  }

  /** the oldest entry; only when length > 0 */
  shift(): number {
    const v = this.buf[this.head];
    this.head = (this.head + 1) % this.buf.length;
    this.count--;
    return v;
  }

  clear(): void {
    this.head = 0;
    this.count = 0;
  }

  /** The entries oldest first (machine snapshots). */
  toArray(): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.count; k++) out.push(this.buf[(this.head + k) % this.buf.length]);
    return out;
  }

  /** Replace the contents with `list`, oldest first (machine snapshots). */
  load(list: readonly number[]): void {
    this.clear();
    for (const pfn of list) this.push(pfn);
  }

  private grow(): void {
    const nb = new Int32Array(this.buf.length * 2);
    for (let k = 0; k < this.count; k++) nb[k] = this.buf[(this.head + k) % this.buf.length];
    this.buf = nb;
    this.head = 0;
  }
}

/** Which class of candidate queue a frame belongs to (bit flags of `queued`). */
export const Q_UNUSED = 1;
export const Q_VOLATILE = 2;
