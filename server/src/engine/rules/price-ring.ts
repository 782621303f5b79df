/**
 * Recent (time, price) points of one symbol, for "price change % over N minutes". A growable
 * circular buffer over two typed arrays (no object per point: every quote of a watched symbol
 * lands here). It keeps one trading day: the first point of a new Beijing day clears it, so a
 * window never reaches into yesterday (09:31 has no 5-minute change until 09:35 or so).
 */
const DAY_MS = 86_400_000;
const BEIJING_OFFSET_MS = 8 * 3_600_000;

export class PriceRing {
  private times: Float64Array;
  private prices: Float64Array;
  private head = 0;
  private size = 0;
  private day = NaN;

  /** `windowMs`: the longest window asked of it; older points are dropped (all but one, see push). */
  constructor(
    public windowMs: number,
    capacity = 64,
  ) {
    this.times = new Float64Array(capacity);
    this.prices = new Float64Array(capacity);
  }

  get length(): number {
    return this.size;
  }

  /**
   * Adds a point. A point older than the newest is ignored (a provider's late snapshot must not
   * rewrite the past); one at the same time replaces the newest price.
   */
  push(timeMs: number, price: number): void {
    const day = Math.floor((timeMs + BEIJING_OFFSET_MS) / DAY_MS);
    if (day !== this.day) {
      if (this.size > 0 && day < this.day) return;
      this.size = 0;
      this.head = 0;
      this.day = day;
    }
    if (this.size > 0) {
      const newest = this.slot(this.size - 1);
      if (timeMs < this.times[newest]!) return;
      if (timeMs === this.times[newest]!) {
        this.prices[newest] = price;
        return;
      }
    }
    if (this.size === this.times.length) this.grow();
    const at = this.slot(this.size++);
    this.times[at] = timeMs;
    this.prices[at] = price;
    // Keep the latest point at or before the window's start: it is the price in effect there.
    const start = timeMs - this.windowMs;
    while (this.size >= 2 && this.times[this.slot(1)]! <= start) {
      this.head = (this.head + 1) % this.times.length;
      this.size--;
    }
  }

  /** The price in effect at `cutoffMs` (the latest point at or before it), or NaN when none is that old. */
  priceAt(cutoffMs: number): number {
    let lo = 0;
    let hi = this.size - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[this.slot(mid)]! <= cutoffMs) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found < 0 ? NaN : this.prices[this.slot(found)]!;
  }

  private slot(i: number): number {
    return (this.head + i) % this.times.length;
  }

  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const prices = new Float64Array(this.prices.length * 2);
    for (let i = 0; i < this.size; i++) {
      times[i] = this.times[this.slot(i)]!;
      prices[i] = this.prices[this.slot(i)]!;
    }
    this.times = times;
    this.prices = prices;
    this.head = 0;
  }
}
