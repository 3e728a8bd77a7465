/**
 * The dashboard's request-rate charts across replicas. Each replica writes its own per-second
 * counts (only the seconds with traffic) to one Redis hash once a second, under its own field;
 * reading sums every replica's that is fresh (written in the last few seconds) with this
 * replica's live counts. Off the request path: counting stays the in-process ring.
 */
import { randomUUID } from "node:crypto";
import { type RateSeries, rateWindowSeconds, type TrafficRates } from "../engine/rates.ts";
import type { StateStore } from "../engine/store/state-store.ts";

/** Not a name a request can give (a header cannot carry NUL), so it never meets a real namespace. */
const indexNamespace = "\u0000index";
const record = "rates";
const publishEveryMs = 1_000;
/** A replica silent for longer than this (stopped, or cut off) no longer counts. */
const freshMs = 5_000;
const windowSeconds = 300;

/** One replica's counts: provider → [second, requests, errors] for seconds with traffic. */
interface Snapshot {
  at: number;
  counts: Record<string, Array<[number, number, number]>>;
}

export type RatesView = { until: number; providers: RateSeries[] };

const running = new WeakMap<TrafficRates, SharedRates>();

/** The shared view of `rates`, when a server started one for it. */
export function sharedRates(rates: TrafficRates): SharedRates | undefined {
  return running.get(rates);
}

export class SharedRates {
  readonly #id = randomUUID().slice(0, 8);
  readonly #store: StateStore;
  readonly #rates: TrafficRates;
  readonly #timer: NodeJS.Timeout;

  constructor(store: StateStore, rates: TrafficRates) {
    this.#store = store;
    this.#rates = rates;
    this.#timer = setInterval(() => void this.#publish().catch(() => {}), publishEveryMs);
    this.#timer.unref();
    running.set(rates, this);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    running.delete(this.#rates);
    await this.#store.deleteFields(indexNamespace, record, [this.#id]).catch(() => {});
  }

  async #publish(): Promise<void> {
    const { until, providers } = this.#rates.series(windowSeconds);
    const counts: Snapshot["counts"] = {};
    const first = until / 1000 - windowSeconds + 1;
    for (const { provider, requests, errors } of providers) {
      const busy = requests.flatMap(
        (n, i): Array<[number, number, number]> => (n > 0 ? [[first + i, n, errors[i]!]] : []),
      );
      if (busy.length > 0) counts[provider] = busy;
    }
    const snapshot: Snapshot = { at: Date.now(), counts };
    await this.#store.setFields(indexNamespace, record, { [this.#id]: JSON.stringify(snapshot) }, 60_000);
  }

  /** Every replica's requests and errors per provider per second, summed. */
  async series(seconds: number): Promise<RatesView> {
    const own = this.#rates.series(seconds);
    const span = Math.max(1, Math.min(rateWindowSeconds, Math.floor(seconds)));
    const first = own.until / 1000 - span + 1;
    const byProvider = new Map(own.providers.map((series) => [series.provider, series]));
    const stored = (await this.#store.getRecord(indexNamespace, record)) ?? {};
    for (const [id, text] of Object.entries(stored)) {
      if (id === this.#id) continue;
      const snapshot = parse(text);
      if (!snapshot || Date.now() - snapshot.at > freshMs) continue;
      for (const [provider, busy] of Object.entries(snapshot.counts)) {
        let series = byProvider.get(provider);
        if (!series) {
          series = { provider, requests: new Array(span).fill(0), errors: new Array(span).fill(0) };
          byProvider.set(provider, series);
        }
        for (const [second, requests, errors] of busy) {
          const at = second - first;
          if (at < 0 || at >= span) continue;
          series.requests[at]! += requests;
          series.errors[at]! += errors;
        }
      }
    }
    return { until: own.until, providers: [...byProvider.values()] };
  }
}

function parse(text: string): Snapshot | undefined {
  try {
    return JSON.parse(text) as Snapshot;
  } catch {
    return undefined;
  }
}
