/** Counts API calls per "Service.Operation", readable while the emulator runs. */
export interface CallStats {
  total: number;
  errors: number;
  operations: Record<string, number>;
}

export class CallLog {
  private total = 0;
  private errors = 0;
  private readonly counts = new Map<string, number>();

  record(service: string, operation: string, failed: boolean): void {
    const key = `${service}.${operation}`;
    this.total += 1;
    if (failed) this.errors += 1;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  stats(): CallStats {
    const operations = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)));
    return { total: this.total, errors: this.errors, operations };
  }

  reset(): void {
    this.total = 0;
    this.errors = 0;
    this.counts.clear();
  }
}
