/**
 * Int32 blocks of power-of-two sizes carved out of one growable Int32Array, with a free list
 * per size. Keeps all compiled programs contiguous in memory (verifying candidates is bound by
 * memory latency, not by computation); allocation and release are O(1), growth doubles.
 */
export class Int32Slab {
  data = new Int32Array(1024);
  private used = 0;
  private readonly freeLists: number[][] = [];

  private static sizeClass(length: number): number {
    return Math.max(2, 32 - Math.clz32(Math.max(1, length) - 1));
  }

  /** Copies `values` into a new block; returns its offset. */
  store(values: ArrayLike<number>): number {
    const sizeClass = Int32Slab.sizeClass(values.length);
    let offset = this.freeLists[sizeClass]?.pop();
    if (offset === undefined) {
      const size = 1 << sizeClass;
      if (this.used + size > this.data.length) {
        const next = new Int32Array(Math.max(this.data.length * 2, this.used + size));
        next.set(this.data);
        this.data = next;
      }
      offset = this.used;
      this.used += size;
    }
    this.data.set(values, offset);
    return offset;
  }

  /** Returns the block at `offset` (of `length` values, as stored) to its free list. */
  release(offset: number, length: number): void {
    const sizeClass = Int32Slab.sizeClass(length);
    (this.freeLists[sizeClass] ??= []).push(offset);
  }
}
