/**
 * The state store for one process: plain maps, expiry checked when read. It behaves like the
 * Redis store (the same tests run against both) so code written against the seam can be
 * exercised without a server.
 */
import {
  type BlobLimits,
  type DueJob,
  defaultBlobLimits,
  type IndexBound,
  type LogEntry,
  type SlotLease,
  type StateStore,
  type StoreListener,
  type StoreRecord,
  slotNames,
  type WindowCount,
  type WindowEvent,
} from "./state-store.ts";

type Value =
  | { kind: "record"; fields: StoreRecord }
  | { kind: "blob"; data: Uint8Array }
  | { kind: "counter"; value: number }
  | { kind: "log"; entries: string[]; appended: number }
  | { kind: "index"; scores: Map<string, number> }
  | { kind: "lease"; owner: string }
  /** Event id → when it happened (a sliding window). */
  | { kind: "window"; events: Map<string, number> }
  /** Slot → when its lease ends (epoch ms). */
  | { kind: "slots"; leases: Map<string, number> };

interface Entry {
  value: Value;
  /** Epoch ms; Infinity when it never expires. */
  expiresAt: number;
}

interface Job {
  payload: string;
  dueAt: number;
  /** Set while taken: when the lease lapses and the job may be handed out again. */
  leasedUntil?: number;
}

export class MemoryStateStore implements StateStore {
  readonly kind = "memory";
  readonly #namespaces = new Map<string, Map<string, Entry>>();
  readonly #jobs = new Map<string, Job>();
  readonly #listeners = new Map<string, Set<StoreListener>>();
  /** Blob keys, oldest first, with their sizes: the byte cap evicts from the front. */
  readonly #blobs = new Map<string, { namespace: string; name: string; bytes: number }>();
  readonly #limits: BlobLimits;
  #blobBytes = 0;

  constructor(limits: Partial<BlobLimits> = {}) {
    this.#limits = { ...defaultBlobLimits, ...limits };
  }

  async getRecord(namespace: string, name: string): Promise<StoreRecord | undefined> {
    const value = this.#read(namespace, name);
    return value?.kind === "record" ? { ...value.fields } : undefined;
  }

  async getRecordCounting(namespace: string, name: string, field: string): Promise<StoreRecord | undefined> {
    const value = this.#read(namespace, name);
    if (value?.kind !== "record") return undefined;
    value.fields[field] = String(Number(value.fields[field] ?? 0) + 1);
    return { ...value.fields };
  }

  async setFields(namespace: string, name: string, fields: StoreRecord, ttlMs?: number): Promise<void> {
    const entry = this.#entry(namespace, name, "record", () => ({ kind: "record", fields: {} }));
    Object.assign((entry.value as { fields: StoreRecord }).fields, fields);
    if (ttlMs !== undefined) entry.expiresAt = Date.now() + ttlMs;
  }

  async deleteFields(namespace: string, name: string, fields: string[]): Promise<void> {
    const value = this.#read(namespace, name);
    if (value?.kind !== "record") return;
    for (const field of fields) delete value.fields[field];
    if (Object.keys(value.fields).length === 0) this.#remove(namespace, name);
  }

  async incrField(namespace: string, name: string, field: string, by = 1): Promise<number> {
    const entry = this.#entry(namespace, name, "record", () => ({ kind: "record", fields: {} }));
    const fields = (entry.value as { fields: StoreRecord }).fields;
    const next = Number(fields[field] ?? 0) + by;
    fields[field] = String(next);
    return next;
  }

  async incrExistingField(namespace: string, name: string, field: string, by: number) {
    if (this.#read(namespace, name)?.kind !== "record") return undefined;
    return this.incrField(namespace, name, field, by);
  }

  async getRecords(namespace: string, names: string[]): Promise<Array<StoreRecord | undefined>> {
    return Promise.all(names.map((name) => this.getRecord(namespace, name)));
  }

  async addToIndex(
    namespace: string,
    name: string,
    member: string,
    score: number,
    bound: IndexBound,
  ): Promise<void> {
    const fresh = this.#read(namespace, name) === undefined;
    const entry = this.#entry(namespace, name, "index", () => ({ kind: "index", scores: new Map() }));
    const { scores } = entry.value as { scores: Map<string, number> };
    scores.set(member, score);
    const cap = Math.max(1, bound.cap);
    if (scores.size > cap)
      for (const [lowest] of byScore(scores).slice(0, scores.size - cap)) scores.delete(lowest);
    const until = Date.now() + bound.ttlMs;
    entry.expiresAt = fresh ? until : Math.max(entry.expiresAt, until);
  }

  async readIndex(namespace: string, name: string, limit?: number): Promise<string[]> {
    const value = this.#read(namespace, name);
    if (value?.kind !== "index") return [];
    const members = byScore(value.scores).map(([member]) => member);
    return limit === undefined ? members : members.slice(-Math.max(1, limit));
  }

  async removeFromIndex(namespace: string, name: string, members: string[]): Promise<void> {
    const value = this.#read(namespace, name);
    if (value?.kind !== "index") return;
    for (const member of members) value.scores.delete(member);
    if (value.scores.size === 0) this.#remove(namespace, name);
  }

  async putBlob(namespace: string, name: string, data: Uint8Array, ttlMs: number): Promise<boolean> {
    if (data.byteLength > this.#limits.maxBlobBytes) return false;
    this.#remove(namespace, name);
    this.#space(namespace).set(name, { value: { kind: "blob", data }, expiresAt: Date.now() + ttlMs });
    this.#blobs.set(blobKey(namespace, name), { namespace, name, bytes: data.byteLength });
    this.#blobBytes += data.byteLength;
    for (const [key, blob] of this.#blobs) {
      if (this.#blobBytes <= this.#limits.maxTotalBytes) break;
      if (key === blobKey(namespace, name)) continue;
      this.#remove(blob.namespace, blob.name);
    }
    return true;
  }

  async getBlob(namespace: string, name: string): Promise<Uint8Array | undefined> {
    const value = this.#read(namespace, name);
    return value?.kind === "blob" ? value.data : undefined;
  }

  async appendLog(
    namespace: string,
    name: string,
    entries: string[],
    cap: number,
    ttlMs: number,
  ): Promise<void> {
    const entry = this.#entry(namespace, name, "log", () => ({ kind: "log", entries: [], appended: 0 }));
    const log = entry.value as { entries: string[]; appended: number };
    log.entries.push(...entries);
    log.appended += entries.length;
    if (log.entries.length > cap) log.entries.splice(0, log.entries.length - cap);
    entry.expiresAt = Date.now() + ttlMs;
  }

  async readLog(namespace: string, name: string, limit?: number): Promise<LogEntry[]> {
    const value = this.#read(namespace, name);
    if (value?.kind !== "log") return [];
    const newest = limit === undefined ? value.entries : value.entries.slice(-limit);
    const first = value.appended - newest.length + 1;
    return newest.map((entry, i) => ({ seq: first + i, value: entry }));
  }

  async incr(namespace: string, name: string, ttlMs?: number): Promise<number> {
    const fresh = this.#read(namespace, name) === undefined;
    const entry = this.#entry(namespace, name, "counter", () => ({ kind: "counter", value: 0 }));
    const counter = entry.value as { value: number };
    counter.value++;
    // Like INCR then PEXPIRE NX: the window starts with the first count.
    if (fresh && ttlMs !== undefined) entry.expiresAt = Date.now() + ttlMs;
    return counter.value;
  }

  async countInWindow(namespace: string, name: string, event: WindowEvent): Promise<WindowCount> {
    const entry = this.#entry(namespace, name, "window", () => ({ kind: "window", events: new Map() }));
    const events = (entry.value as { events: Map<string, number> }).events;
    let oldest = Number.POSITIVE_INFINITY;
    for (const [id, at] of events) {
      if (at <= event.now - event.windowMs) events.delete(id);
      else oldest = Math.min(oldest, at);
    }
    if (events.size >= event.limit) return { counted: false, oldest: events.size > 0 ? oldest : event.now };
    events.set(event.id, event.now);
    entry.expiresAt = Date.now() + event.idleMs;
    return { counted: true };
  }

  async uncountInWindow(namespace: string, name: string, id: string): Promise<void> {
    const value = this.#read(namespace, name);
    if (value?.kind === "window") value.events.delete(id);
  }

  async takeSlots(
    namespace: string,
    name: string,
    lease: SlotLease,
    limit: number,
    leaseMs: number,
  ): Promise<boolean> {
    const entry = this.#entry(namespace, name, "slots", () => ({ kind: "slots", leases: new Map() }));
    const leases = (entry.value as { leases: Map<string, number> }).leases;
    const now = Date.now();
    for (const [slot, endsAt] of leases) if (endsAt <= now) leases.delete(slot);
    if (leases.size + lease.count > limit) return false;
    for (const slot of slotNames(lease)) leases.set(slot, now + leaseMs);
    entry.expiresAt = Math.max(
      entry.expiresAt === Number.POSITIVE_INFINITY ? 0 : entry.expiresAt,
      now + leaseMs,
    );
    return true;
  }

  async renewSlots(namespace: string, name: string, leases: SlotLease[], leaseMs: number): Promise<void> {
    const value = this.#read(namespace, name);
    if (value?.kind !== "slots") return;
    const now = Date.now();
    for (const slot of leases.flatMap(slotNames)) {
      const endsAt = value.leases.get(slot);
      if (endsAt !== undefined && endsAt > now) value.leases.set(slot, now + leaseMs);
    }
    const entry = this.#namespaces.get(namespace)!.get(name)!;
    entry.expiresAt = Math.max(entry.expiresAt, now + leaseMs);
  }

  async releaseSlots(namespace: string, name: string, lease: SlotLease): Promise<void> {
    const value = this.#read(namespace, name);
    if (value?.kind === "slots") for (const slot of slotNames(lease)) value.leases.delete(slot);
  }

  async delete(namespace: string, name: string): Promise<void> {
    this.#remove(namespace, name);
  }

  async claim(namespace: string, name: string, owner: string, ttlMs: number): Promise<boolean> {
    if (this.#read(namespace, name) !== undefined) return false;
    this.#space(namespace).set(name, { value: { kind: "lease", owner }, expiresAt: Date.now() + ttlMs });
    return true;
  }

  async release(namespace: string, name: string, owner: string): Promise<void> {
    const value = this.#read(namespace, name);
    if (value?.kind === "lease" && value.owner === owner) this.#remove(namespace, name);
  }

  async schedule(id: string, dueAt: number, payload: string): Promise<void> {
    this.#jobs.set(id, { payload, dueAt });
  }

  async takeDue(now: number, leaseMs: number, limit = 100): Promise<DueJob[]> {
    const taken: DueJob[] = [];
    const due = [...this.#jobs]
      .map(([id, job]) => ({ id, job, at: job.leasedUntil ?? job.dueAt }))
      .filter((entry) => entry.at <= now)
      .sort((a, b) => a.at - b.at);
    for (const { id, job } of due.slice(0, limit)) {
      job.leasedUntil = now + leaseMs;
      taken.push({ id, payload: job.payload });
    }
    return taken;
  }

  async ack(id: string): Promise<void> {
    this.#jobs.delete(id);
  }

  async clearNamespace(namespace: string): Promise<void> {
    const space = this.#namespaces.get(namespace);
    if (!space) return;
    for (const name of [...space.keys()]) this.#remove(namespace, name);
    this.#namespaces.delete(namespace);
  }

  async publish(channel: string, message: string): Promise<void> {
    for (const listener of this.#listeners.get(channel) ?? []) listener(message);
  }

  async subscribe(channel: string, listener: StoreListener): Promise<() => Promise<void>> {
    let set = this.#listeners.get(channel);
    if (!set) {
      set = new Set();
      this.#listeners.set(channel, set);
    }
    // A function of its own, so one listener subscribed twice can be removed twice.
    const own: StoreListener = (message) => listener(message);
    set.add(own);
    return async () => {
      set.delete(own);
    };
  }

  async close(): Promise<void> {
    this.#namespaces.clear();
    this.#jobs.clear();
    this.#listeners.clear();
    this.#blobs.clear();
    this.#blobBytes = 0;
  }

  #space(namespace: string): Map<string, Entry> {
    let space = this.#namespaces.get(namespace);
    if (!space) {
      space = new Map();
      this.#namespaces.set(namespace, space);
    }
    return space;
  }

  /** The live value, dropping it first when it has expired. */
  #read(namespace: string, name: string): Value | undefined {
    const entry = this.#namespaces.get(namespace)?.get(name);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.#remove(namespace, name);
      return undefined;
    }
    return entry.value;
  }

  /** The live entry of `kind`, creating it (without expiry) when missing. */
  #entry(namespace: string, name: string, kind: Value["kind"], create: () => Value): Entry {
    const value = this.#read(namespace, name);
    if (value && value.kind !== kind)
      throw new Error(`Store key "${name}" holds a ${value.kind}, not a ${kind}.`);
    const space = this.#space(namespace);
    let entry = space.get(name);
    if (!entry) {
      entry = { value: create(), expiresAt: Number.POSITIVE_INFINITY };
      space.set(name, entry);
    }
    return entry;
  }

  #remove(namespace: string, name: string): void {
    const space = this.#namespaces.get(namespace);
    const entry = space?.get(name);
    if (!entry) return;
    space!.delete(name);
    if (entry.value.kind === "blob") {
      this.#blobs.delete(blobKey(namespace, name));
      this.#blobBytes -= entry.value.data.byteLength;
    }
  }
}

/** An index's members, lowest score first; ties in member order (as a Redis sorted set). */
function byScore(scores: Map<string, number>): Array<[string, number]> {
  return [...scores].sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0));
}

function blobKey(namespace: string, name: string): string {
  return `${namespace}\u0000${name}`;
}
