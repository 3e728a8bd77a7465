/**
 * The state-store seam: the few kinds of shared state the simulators keep, named by what they
 * are for rather than by how one backend stores them. The in-memory store serves one process;
 * the Redis store lets several server processes (replicas behind a load balancer) agree.
 *
 * Every call is async because a networked store is. Keys are scoped to a namespace (parallel
 * test runs never see each other's state) and `clearNamespace` forgets all of one namespace.
 * TTLs are wall-clock milliseconds: they bound how long the store keeps something, while the
 * simulators still judge expiry against their own (possibly virtual) clocks.
 */

/** A flat record of string fields (a task, a namespace's scenarios). */
export type StoreRecord = Record<string, string>;

/** A job taken from the due queue; `ack` it once done, or it is handed out again after its lease. */
export interface DueJob {
  id: string;
  payload: string;
}

export interface BlobLimits {
  /** Largest single value (bytes); a larger one is refused. */
  maxBlobBytes: number;
  /** All stored values together (bytes); the oldest go first beyond it. */
  maxTotalBytes: number;
}

export const defaultBlobLimits: BlobLimits = {
  maxBlobBytes: 64 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
};

/** One entry of a log and its number (1 for the first ever appended). */
export interface LogEntry {
  seq: number;
  value: string;
}

/** How many members an index keeps, and how long it lives at least after an addition. */
export interface IndexBound {
  cap: number;
  ttlMs: number;
}

export type StoreListener = (message: string) => void;

/** One event offered to a sliding window (a request against a per-minute limit). */
export interface WindowEvent {
  /** Names the event, so it can be taken back out (`uncountInWindow`). */
  id: string;
  /** When it happens (ms), on whatever clock every caller of this window shares. */
  now: number;
  /** The window: events at or before `now - windowMs` have left it. */
  windowMs: number;
  /** How many events the window may hold; one more is refused (and not counted). */
  limit: number;
  /** Wall-clock ms after the last counted event when the whole window is forgotten. */
  idleMs: number;
}

/** What a window said of an event: counted, or refused with the oldest event still in it. */
export type WindowCount = { counted: true } | { counted: false; oldest: number };

/** Slots one holder takes together (e.g. the images of one request being worked on). */
export interface SlotLease {
  /** Unique per take: the slots are released or renewed by it. */
  holder: string;
  count: number;
}

export interface StateStore {
  readonly kind: "memory" | "redis";

  /** The record, or `undefined` when unknown or expired. */
  getRecord(namespace: string, name: string): Promise<StoreRecord | undefined>;
  /** Writes fields into a record (creating it); `ttlMs` (when given) restarts its expiry. */
  setFields(namespace: string, name: string, fields: StoreRecord, ttlMs?: number): Promise<void>;
  /** Removes fields from a record. */
  deleteFields(namespace: string, name: string, fields: string[]): Promise<void>;
  /**
   * Adds one to a numeric field and returns the record as it then is, in one step (a status read
   * counts its poll while it loads the task); `undefined`, creating nothing, when unknown.
   */
  getRecordCounting(namespace: string, name: string, field: string): Promise<StoreRecord | undefined>;
  /** Adds `by` to a numeric field atomically and returns the new value (creating the record). */
  incrField(namespace: string, name: string, field: string, by?: number): Promise<number>;
  /**
   * As `incrField`, on a record that exists: `undefined`, creating nothing, when it does not
   * (a task's polls written back after its record expired or a reset forgot it).
   */
  incrExistingField(namespace: string, name: string, field: string, by: number): Promise<number | undefined>;
  /** Several records in one round trip, in the order named (`undefined` for each unknown one). */
  getRecords(namespace: string, names: string[]): Promise<Array<StoreRecord | undefined>>;

  /**
   * Adds a member to an ordered index (a namespace's task ids by creation time), or moves it to
   * `score`: beyond `bound.cap` members the lowest-scored go. The index lives at least
   * `bound.ttlMs` more (a shorter TTL never cuts it short), so it outlives each member's record.
   */
  addToIndex(
    namespace: string,
    name: string,
    member: string,
    score: number,
    bound: IndexBound,
  ): Promise<void>;
  /** The `limit` highest-scored members of an index (all when not given), lowest first. */
  readIndex(namespace: string, name: string, limit?: number): Promise<string[]>;
  /** Takes members out of an index (ones whose records expired). */
  removeFromIndex(namespace: string, name: string, members: string[]): Promise<void>;

  /** Stores bytes with an expiry; `false` when the value is over `maxBlobBytes`. */
  putBlob(namespace: string, name: string, data: Uint8Array, ttlMs: number): Promise<boolean>;
  getBlob(namespace: string, name: string): Promise<Uint8Array | undefined>;

  /**
   * Appends entries to a capped log (a namespace's journal): beyond `cap` entries the oldest go;
   * `ttlMs` restarts the whole log's expiry. Entries are numbered 1, 2, … in the order they
   * were appended, whoever appended them.
   */
  appendLog(namespace: string, name: string, entries: string[], cap: number, ttlMs: number): Promise<void>;
  /** The newest `limit` entries of a log (all when not given), oldest first, and their numbers. */
  readLog(namespace: string, name: string, limit?: number): Promise<LogEntry[]>;

  /** Counts one more (attempts, rate-limit windows); `ttlMs` bounds the counter's life. */
  incr(namespace: string, name: string, ttlMs?: number): Promise<number>;
  /**
   * Counts an event in a sliding window unless `limit` events are already in it (atomic, so
   * replicas counting requests against one limit never let more through than it allows).
   */
  countInWindow(namespace: string, name: string, event: WindowEvent): Promise<WindowCount>;
  /** Takes a counted event back out of its window (a request that was not served after all). */
  uncountInWindow(namespace: string, name: string, id: string): Promise<void>;

  /**
   * Takes `lease.count` slots unless that would put more than `limit` in use: `false` (nothing
   * taken) then. Slots are leased for `leaseMs` of the store's own wall clock and lapse unless
   * renewed, so a holder that dies cannot keep them for ever.
   */
  takeSlots(
    namespace: string,
    name: string,
    lease: SlotLease,
    limit: number,
    leaseMs: number,
  ): Promise<boolean>;
  /** Restarts the leases of slots still held (lapsed ones stay lapsed). */
  renewSlots(namespace: string, name: string, leases: SlotLease[], leaseMs: number): Promise<void>;
  /** Gives slots back. */
  releaseSlots(namespace: string, name: string, lease: SlotLease): Promise<void>;

  /** Sets a counter (or any key) aside. */
  delete(namespace: string, name: string): Promise<void>;

  /**
   * Takes a lease: `true` for exactly one caller until it expires or is released, so a
   * transition or a delivery seen by several replicas is acted on once.
   */
  claim(namespace: string, name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives a lease back, only if `owner` still holds it. */
  release(namespace: string, name: string, owner: string): Promise<void>;

  /** Queues a job due at `dueAt` (epoch ms); the same id again replaces it. */
  schedule(id: string, dueAt: number, payload: string): Promise<void>;
  /**
   * Takes up to `limit` jobs due by `now`, each to one caller only, leased for `leaseMs`: a job
   * not acknowledged in that time (its taker died) is handed out again.
   */
  takeDue(now: number, leaseMs: number, limit?: number): Promise<DueJob[]>;
  /** Done with a taken job (or a scheduled one that is no longer wanted). */
  ack(id: string): Promise<void>;

  /** Forgets every key of a namespace. */
  clearNamespace(namespace: string): Promise<void>;

  /** Tells every replica (this one included) on `channel`. */
  publish(channel: string, message: string): Promise<void>;
  /** Listens on `channel`; the returned function stops listening. */
  subscribe(channel: string, listener: StoreListener): Promise<() => Promise<void>>;

  /** Closes connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** One name per slot of a lease (the members of the Redis store's sorted set). */
export function slotNames(lease: SlotLease): string[] {
  return Array.from({ length: lease.count }, (_, i) => `${lease.holder}#${i + 1}`);
}

/** Thrown (with a message a person can act on) when the shared store cannot be reached. */
export class StoreUnavailableError extends Error {
  constructor(detail: string) {
    super(`The shared state store is unavailable: ${detail}`);
    this.name = "StoreUnavailableError";
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unparsable store URL)";
  }
}
