/**
 * The journal across replicas. Each replica keeps its own journal in full (bodies for the detail
 * view and the HAR export) and copies every exchange, without its bodies, into a capped log per
 * namespace in the shared store: in batches, off the request path. Reading merges that log with
 * this replica's own entries, so the journal, the HAR export and the dashboard of any replica
 * show what every replica answered. An entry's `seq` is then its number in the shared log (the
 * order replicas wrote them in), so `since` never skips one; `replica` names who answered it.
 */
import { randomUUID } from "node:crypto";
import type { JournalExchange, JournalFilter } from "./journal.ts";
import type { NamespaceState } from "./provider.ts";
import type { StateStore } from "./store/state-store.ts";

/** Where each namespace's log lives in the store, and the index of namespaces that have one. */
export const journalLog = "journal";
/** Not a name a request can give (a header cannot carry NUL), so it never meets a real one. */
const indexNamespace = "\u0000index";
const indexRecord = "journals";

export interface SharedJournalOptions {
  /** Entries kept per namespace (default 1 000, as each replica's own journal). */
  cap?: number;
  /** How long a namespace's log outlives its last entry (default 1 hour). */
  ttlMs?: number;
  /** How long an exchange may wait before its batch is written (default 100 ms). */
  batchMs?: number;
}

/** An exchange as any replica lists it: who answered, and bodies only where that replica is this one. */
export type ReplicaExchange = JournalExchange & { replica: string };

/** What the log holds per exchange: the journal's own view of it, minus bodies and local seq. */
type Shared = Omit<JournalExchange, "requestBody"> & { replica: string; replicaSeq: number };

export class SharedJournal {
  /** Names this replica in entries (short: it is repeated in every one). */
  readonly replica = randomUUID().slice(0, 8);
  readonly #store: StateStore;
  readonly #cap: number;
  readonly #ttlMs: number;
  readonly #batchMs: number;
  readonly #pending = new Set<NamespaceState>();
  /** The local seq of the last entry of each namespace copied to the store. */
  readonly #copied = new WeakMap<NamespaceState, number>();
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(store: StateStore, options: SharedJournalOptions = {}) {
    this.#store = store;
    this.#cap = options.cap ?? 1_000;
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#batchMs = options.batchMs ?? 100;
  }

  /** `ns` journaled an exchange: it goes to the store with the next batch. */
  noted(ns: NamespaceState): void {
    this.#pending.add(ns);
    if (this.#timer) return;
    this.#timer = setTimeout(() => void this.flush().catch(() => {}), this.#batchMs);
    this.#timer.unref?.();
  }

  /** Writes every exchange not yet in the store; rejects with the store's error (they are kept). */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = [...this.#pending];
    this.#pending.clear();
    // One write at a time, so a namespace's entries reach the log in their own order.
    const write = this.#writing.then(() => this.#write(batch));
    this.#writing = write.catch(() => {});
    return write;
  }

  async #write(batch: NamespaceState[]): Promise<void> {
    const written: Record<string, string> = {};
    try {
      for (const ns of batch) {
        const exchanges = ns.journal.exchanges({ since: this.#copied.get(ns) ?? 0 });
        if (exchanges.length === 0) continue;
        const lines = exchanges.map((exchange) => JSON.stringify(this.#shared(exchange)));
        await this.#store.appendLog(ns.name, journalLog, lines, this.#cap, this.#ttlMs);
        this.#copied.set(ns, exchanges.at(-1)!.entry.seq);
        this.#pending.delete(ns);
        written[ns.name] = String(Date.now());
      }
      if (Object.keys(written).length > 0)
        await this.#store.setFields(indexNamespace, indexRecord, written, this.#ttlMs);
    } catch (error) {
      // Not written: tried again with the next batch (the store may be back by then).
      for (const ns of batch) if (!(ns.name in written)) this.noted(ns);
      throw error;
    }
  }

  #shared(exchange: JournalExchange): Shared {
    const { requestBody: _request, response, ...rest } = exchange;
    return {
      ...rest,
      response: { headers: response.headers, size: response.size },
      replica: this.replica,
      replicaSeq: exchange.entry.seq,
    };
  }

  /**
   * Every replica's exchanges of a namespace, in the order they reached the log; `local` is this
   * replica's state of it, when it has one (its own bodies come from there).
   */
  async exchanges(
    namespace: string,
    local: NamespaceState | undefined,
    filter: JournalFilter = {},
  ): Promise<ReplicaExchange[]> {
    await this.flush();
    const log = await this.#store.readLog(namespace, journalLog);
    const out: ReplicaExchange[] = [];
    for (const { seq, value } of log) {
      if (filter.since !== undefined && seq <= filter.since) continue;
      const exchange = this.#parse(local, seq, value);
      if (!exchange) continue;
      if (filter.provider !== undefined && exchange.entry.provider !== filter.provider) continue;
      if (filter.status !== undefined && exchange.entry.status !== filter.status) continue;
      out.push(exchange);
    }
    return filter.limit === undefined ? out : out.slice(-filter.limit);
  }

  /** One exchange by its number in the shared log. */
  async exchange(
    namespace: string,
    local: NamespaceState | undefined,
    seq: number,
  ): Promise<ReplicaExchange | undefined> {
    const found = await this.exchanges(namespace, local, { since: seq - 1 });
    return found.find((exchange) => exchange.entry.seq === seq);
  }

  /** Namespaces any replica journaled in within the log's TTL. */
  async namespaces(): Promise<string[]> {
    await this.flush();
    return Object.keys((await this.#store.getRecord(indexNamespace, indexRecord)) ?? {});
  }

  /** The entry numbered `seq`, with this replica's own bodies when it answered it and still has them. */
  #parse(local: NamespaceState | undefined, seq: number, value: string): ReplicaExchange | undefined {
    let shared: Shared;
    try {
      shared = JSON.parse(value) as Shared;
    } catch {
      return undefined;
    }
    const { replicaSeq, ...exchange } = shared;
    const own = shared.replica === this.replica ? local?.journal.exchange(replicaSeq) : undefined;
    return { ...(own ?? exchange), entry: { ...exchange.entry, seq }, replica: shared.replica };
  }

  /** Writes what is still pending (when the store lets it) and stops batching. */
  async stop(): Promise<void> {
    await this.flush().catch(() => {});
  }
}
