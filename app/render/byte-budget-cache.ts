/**
 * A least-recently-used map bounded by the bytes its values hold (not by their count), so caches
 * of images stay within a fixed share of the 1 GiB host however large the catalog is.
 */
export class ByteBudgetCache<K, V> {
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private used = 0;

  /**
   * `onEvict` receives each value pushed out by the budget (not those deleted or replaced) with the
   * bytes it was counted for, so a caller that keeps it (e.g. to reuse its memory) can account it.
   */
  constructor(
    readonly budgetBytes: number,
    private readonly onEvict?: (value: V, key: K, bytes: number) => void,
  ) {
    if (!Number.isInteger(budgetBytes) || budgetBytes < 0)
      throw new RangeError('budgetBytes must be a non-negative integer');
  }

  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores the value unless it alone exceeds the budget; evicts the least recently used first. */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.used <= this.budgetBytes) break;
      this.entries.delete(oldestKey);
      this.used -= oldest.bytes;
      this.onEvict?.(oldest.value, oldestKey, oldest.bytes);
    }
  }

  delete(key: K): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }
}
