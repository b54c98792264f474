/**
 * The org's API allowance and call counts. Salesforce's allowance is a rolling 24 hours; calls
 * are kept in per-minute buckets so old ones fall off without keeping every timestamp.
 */

const MINUTE = 60_000;
const WINDOW_MINUTES = 24 * 60;

export class ApiUsage {
  max = 100_000;
  private buckets = new Map<number, number>();
  private used = 0;
  private byEndpoint = new Map<string, number>();
  private total = 0;

  constructor(private readonly now: () => number) {}

  private prune(): void {
    const oldest = Math.floor(this.now() / MINUTE) - WINDOW_MINUTES;
    for (const [minute, n] of this.buckets) {
      if (minute > oldest) break;
      this.buckets.delete(minute);
      this.used -= n;
    }
  }

  /** Calls made in the last 24 hours, as Sforce-Limit-Info reports them. */
  usedInWindow(): number {
    this.prune();
    return this.used;
  }

  exhausted(): boolean {
    return this.usedInWindow() >= this.max;
  }

  record(endpoint: string): void {
    const minute = Math.floor(this.now() / MINUTE);
    this.buckets.set(minute, (this.buckets.get(minute) ?? 0) + 1);
    this.used++;
    this.total++;
    this.byEndpoint.set(endpoint, (this.byEndpoint.get(endpoint) ?? 0) + 1);
  }

  header(): string {
    return `api-usage=${this.usedInWindow()}/${this.max}`;
  }

  /** Sets the allowance and, optionally, how much of it is already used today. */
  setAllowance(max: number, used?: number): void {
    this.max = max;
    if (used !== undefined) {
      this.buckets.clear();
      this.used = 0;
      if (used > 0) {
        this.buckets.set(Math.floor(this.now() / MINUTE), used);
        this.used = used;
      }
    }
  }

  counts(): { total: number; byEndpoint: Record<string, number> } {
    return { total: this.total, byEndpoint: Object.fromEntries(this.byEndpoint) };
  }

  /** Forgets the per-endpoint counts (not the allowance already used, which the org keeps). */
  resetCounts(): void {
    this.total = 0;
    this.byEndpoint.clear();
  }
}
