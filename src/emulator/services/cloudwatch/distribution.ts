/**
 * The values behind one aggregate, as value -> how many times it occurred,
 * so percentiles and trimmed means can be computed after the fact.
 *
 * Exact until it holds more distinct values than its cap; then values are
 * snapped to logarithmic bins (each bin `gamma` times wider than the one
 * below), which keeps every order statistic within about (gamma - 1) / 2 of
 * its true value, the same idea as CloudWatch's own percentile sketches.
 * The bins coarsen (gamma squared) until the cap holds, so memory is bounded
 * whatever a load test sends.
 */
export class ValueDistribution {
  private entries = new Map<number, number>();
  /** 1 while exact; the bin ratio once compacted. */
  private gamma = 1;

  constructor(private readonly maxDistinct: number) {}

  static from(pairs: Iterable<readonly [number, number]>, maxDistinct: number): ValueDistribution {
    const d = new ValueDistribution(maxDistinct);
    for (const [value, count] of pairs) d.add(value, count);
    return d;
  }

  get distinct(): number {
    return this.entries.size;
  }

  get exact(): boolean {
    return this.gamma === 1;
  }

  add(value: number, count: number): void {
    if (count <= 0) return;
    const key = this.bin(value);
    this.entries.set(key, (this.entries.get(key) ?? 0) + count);
    if (this.entries.size > this.maxDistinct) this.compact();
  }

  merge(other: ValueDistribution): void {
    for (const [value, count] of other.entries) this.add(value, count);
  }

  /** Value/count pairs, smallest value first. */
  sorted(): Array<[number, number]> {
    return [...this.entries].sort((a, b) => a[0] - b[0]);
  }

  /** JSON-able form (for tests and debugging); the store does not persist metrics. */
  pairs(): Array<[number, number]> {
    return [...this.entries];
  }

  private bin(value: number): number {
    if (this.gamma === 1 || value === 0) return value;
    const magnitude = Math.abs(value);
    const k = Math.round(Math.log(magnitude) / Math.log(this.gamma));
    return Math.sign(value) * this.gamma ** k;
  }

  private compact(): void {
    // Two percent bins first: about one percent error, invisible in a p99 gate.
    this.gamma = this.gamma === 1 ? 1.02 : this.gamma * this.gamma;
    const old = this.entries;
    this.entries = new Map();
    for (const [value, count] of old) {
      const key = this.bin(value);
      this.entries.set(key, (this.entries.get(key) ?? 0) + count);
    }
    if (this.entries.size > this.maxDistinct) this.compact();
  }
}

/**
 * The value at percentile `p` (0..100) by nearest rank: the smallest value
 * with at least p% of the samples at or below it.
 */
export function percentile(sorted: ReadonlyArray<readonly [number, number]>, p: number): number | undefined {
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * total - 1e-9));
  let seen = 0;
  for (const [value, count] of sorted) {
    seen += count;
    if (seen >= rank) return value;
  }
  return sorted[sorted.length - 1]?.[0];
}

/**
 * Sum and count of the samples whose rank lies in (low%, high%] of all
 * samples; a value straddling a boundary contributes the fraction inside.
 */
export function trimmed(sorted: ReadonlyArray<readonly [number, number]>, low: number, high: number): { sum: number; count: number } {
  const total = sorted.reduce((n, [, c]) => n + c, 0);
  const from = (low / 100) * total;
  const to = (high / 100) * total;
  let seen = 0;
  let sum = 0;
  let count = 0;
  for (const [value, c] of sorted) {
    const inside = Math.max(0, Math.min(seen + c, to) - Math.max(seen, from));
    sum += value * inside;
    count += inside;
    seen += c;
  }
  return { sum, count };
}

/** Mean after clamping samples below the low% value and above the high% value to those values. */
export function winsorizedMean(sorted: ReadonlyArray<readonly [number, number]>, low: number, high: number): number | undefined {
  const floor = percentile(sorted, low);
  const ceiling = percentile(sorted, high);
  if (floor === undefined || ceiling === undefined) return undefined;
  let sum = 0;
  let count = 0;
  for (const [value, c] of sorted) {
    sum += Math.min(Math.max(value, floor), ceiling) * c;
    count += c;
  }
  return count === 0 ? undefined : sum / count;
}
