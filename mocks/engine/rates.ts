/**
 * Requests and error answers per provider, per second of wall time, for the last minutes: a
 * fixed ring of one-second buckets per provider, so counting is O(1) on the request path and
 * the figures do not depend on how much the journal still holds.
 */

/** How far back the rates reach (seconds). */
export const rateWindowSeconds = 600;

interface Buckets {
  second: Float64Array;
  requests: Uint32Array;
  errors: Uint32Array;
}

export interface RateSeries {
  provider: string;
  /** Oldest first, one per second, ending at `until`. */
  requests: number[];
  errors: number[];
}

export class TrafficRates {
  readonly #byProvider = new Map<string, Buckets>();

  /** Counts one answer; an error is a 4xx, a 5xx or no HTTP answer at all. */
  count(provider: string, status: number, nowMs = Date.now()): void {
    let buckets = this.#byProvider.get(provider);
    if (!buckets) {
      buckets = {
        second: new Float64Array(rateWindowSeconds).fill(-1),
        requests: new Uint32Array(rateWindowSeconds),
        errors: new Uint32Array(rateWindowSeconds),
      };
      this.#byProvider.set(provider, buckets);
    }
    const second = Math.floor(nowMs / 1000);
    const slot = second % rateWindowSeconds;
    if (buckets.second[slot] !== second) {
      buckets.second[slot] = second;
      buckets.requests[slot] = 0;
      buckets.errors[slot] = 0;
    }
    buckets.requests[slot]!++;
    if (status === 0 || status >= 400) buckets.errors[slot]!++;
  }

  /** Per provider, the last `seconds` whole seconds up to `nowMs` (the current one included). */
  series(seconds: number, nowMs = Date.now()): { until: number; providers: RateSeries[] } {
    const span = Math.max(1, Math.min(rateWindowSeconds, Math.floor(seconds)));
    const until = Math.floor(nowMs / 1000);
    const providers = [...this.#byProvider].map(([provider, buckets]) => {
      const requests: number[] = [];
      const errors: number[] = [];
      for (let second = until - span + 1; second <= until; second++) {
        const slot = second % rateWindowSeconds;
        const current = buckets.second[slot] === second;
        requests.push(current ? buckets.requests[slot]! : 0);
        errors.push(current ? buckets.errors[slot]! : 0);
      }
      return { provider, requests, errors };
    });
    return { until: until * 1000, providers };
  }

  clear(): void {
    this.#byProvider.clear();
  }
}
