/**
 * The state store on Redis (ioredis), so replicas behind a load balancer share one state.
 * Records are hashes, blobs are strings with a TTL under a total byte cap, counters are INCR,
 * leases are `SET NX PX`, the due queue is a sorted set taken from by a script, and
 * announcements go over pub/sub. Key layout: see redis-keys.ts and docs/deployment.md.
 */
import { Redis, ReplyError } from "ioredis";
import { RedisChannels } from "./redis-channels.ts";
import { redisKeys } from "./redis-keys.ts";
import { defineScripts } from "./redis-scripts.ts";
import {
  type BlobLimits,
  type DueJob,
  defaultBlobLimits,
  type IndexBound,
  type LogEntry,
  redactUrl,
  type SlotLease,
  type StateStore,
  type StoreListener,
  type StoreRecord,
  StoreUnavailableError,
  slotNames,
  type WindowCount,
  type WindowEvent,
} from "./state-store.ts";

export interface RedisStoreOptions extends Partial<BlobLimits> {
  /** `redis://host:port/db` (also `rediss://`, user and password in the URL). */
  url: string;
  /** Put before every key and channel, so deployments can share one Redis (default `uh:`). */
  prefix?: string;
  /** How long one command may take before it fails (default 2 s). */
  commandTimeoutMs?: number;
}

type ScriptRunner = (...args: Array<string | number | Buffer>) => Promise<unknown>;

export class RedisStateStore implements StateStore {
  readonly kind = "redis";
  readonly #redis: Redis;
  readonly #keys: ReturnType<typeof redisKeys>;
  readonly #limits: BlobLimits;
  readonly #channels: RedisChannels;

  private constructor(redis: Redis, options: RedisStoreOptions) {
    this.#redis = redis;
    this.#keys = redisKeys(options.prefix ?? "uh:");
    this.#limits = {
      maxBlobBytes: options.maxBlobBytes ?? defaultBlobLimits.maxBlobBytes,
      maxTotalBytes: options.maxTotalBytes ?? defaultBlobLimits.maxTotalBytes,
    };
    this.#channels = new RedisChannels(redis, (operation) => this.#run(operation));
    defineScripts(redis);
  }

  /** Connects (failing fast with a clear error when Redis is not there) and returns the store. */
  static async open(options: RedisStoreOptions): Promise<RedisStateStore> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      // A command fails at once while Redis is away instead of queueing without bound; the client
      // keeps reconnecting in the background, so the store recovers when Redis returns.
      enableOfflineQueue: false,
      // Commands issued in the same tick (a request's attempt count and task load, many requests'
      // polls under load) leave in one write and come back in one read: fewer syscalls per request.
      enableAutoPipelining: true,
      maxRetriesPerRequest: 1,
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      retryStrategy: (times) => Math.min(100 * times, 1_000),
    });
    // Without a listener, ioredis reports every failed reconnection on stderr. The socket's own
    // error (ECONNREFUSED, ENOTFOUND) says more than the "Connection is closed" connect() rejects with.
    let socketError: Error | undefined;
    redis.on("error", (error: Error) => {
      socketError = error;
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new StoreUnavailableError(
        `${redactUrl(options.url)}: ${(socketError ?? (error as Error)).message}`,
      );
    }
    return new RedisStateStore(redis, options);
  }

  getRecord(namespace: string, name: string): Promise<StoreRecord | undefined> {
    return this.#run(async () => {
      const fields = await this.#redis.hgetall(this.#keys.namespaced(namespace, name));
      return Object.keys(fields).length === 0 ? undefined : fields;
    });
  }

  getRecordCounting(namespace: string, name: string, field: string): Promise<StoreRecord | undefined> {
    return this.#run(async () => {
      const flat = (await this.#script("uhGetCounting")(
        this.#keys.namespaced(namespace, name),
        field,
      )) as string[];
      if (flat.length === 0) return undefined;
      const fields: StoreRecord = {};
      for (let i = 0; i < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
      return fields;
    });
  }

  setFields(namespace: string, name: string, fields: StoreRecord, ttlMs?: number): Promise<void> {
    const key = this.#keys.namespaced(namespace, name);
    return this.#run(async () => {
      const batch = this.#redis.multi().hset(key, fields);
      if (ttlMs !== undefined) batch.pexpire(key, ttlMs);
      await exec(batch);
    });
  }

  deleteFields(namespace: string, name: string, fields: string[]): Promise<void> {
    if (fields.length === 0) return Promise.resolve();
    return this.#run(async () => {
      await this.#redis.hdel(this.#keys.namespaced(namespace, name), ...fields);
    });
  }

  incrField(namespace: string, name: string, field: string, by = 1): Promise<number> {
    return this.#run(() => this.#redis.hincrby(this.#keys.namespaced(namespace, name), field, by));
  }

  incrExistingField(namespace: string, name: string, field: string, by: number): Promise<number | undefined> {
    const key = this.#keys.namespaced(namespace, name);
    return this.#run(async () => {
      const value = await this.#script("uhIncrExisting")(key, field, by);
      return value === null ? undefined : Number(value);
    });
  }

  getRecords(namespace: string, names: string[]): Promise<Array<StoreRecord | undefined>> {
    if (names.length === 0) return Promise.resolve([]);
    // One pipeline: every record in one round trip, however many are named.
    return this.#run(async () => {
      const batch = this.#redis.pipeline();
      for (const name of names) batch.hgetall(this.#keys.namespaced(namespace, name));
      const records = (await exec(batch)) as StoreRecord[];
      return records.map((fields) => (Object.keys(fields).length === 0 ? undefined : fields));
    });
  }

  addToIndex(
    namespace: string,
    name: string,
    member: string,
    score: number,
    bound: IndexBound,
  ): Promise<void> {
    return this.#run(async () => {
      await this.#script("uhAddToIndex")(
        this.#keys.namespaced(namespace, name),
        member,
        score,
        Math.max(1, bound.cap),
        Math.max(1, Math.round(bound.ttlMs)),
      );
    });
  }

  readIndex(namespace: string, name: string, limit?: number): Promise<string[]> {
    const from = limit === undefined ? 0 : -Math.max(1, limit);
    return this.#run(() => this.#redis.zrange(this.#keys.namespaced(namespace, name), from, -1));
  }

  removeFromIndex(namespace: string, name: string, members: string[]): Promise<void> {
    if (members.length === 0) return Promise.resolve();
    return this.#run(async () => {
      await this.#redis.zrem(this.#keys.namespaced(namespace, name), ...members);
    });
  }

  putBlob(namespace: string, name: string, data: Uint8Array, ttlMs: number): Promise<boolean> {
    if (data.byteLength > this.#limits.maxBlobBytes) return Promise.resolve(false);
    const k = this.#keys;
    return this.#run(async () => {
      await this.#script("uhPutBlob")(
        k.namespaced(namespace, name),
        k.blobIndex,
        k.blobSizes,
        k.blobBytes,
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        Math.max(1, Math.round(ttlMs)),
        this.#limits.maxTotalBytes,
        Date.now(),
      );
      return true;
    });
  }

  getBlob(namespace: string, name: string): Promise<Uint8Array | undefined> {
    return this.#run(async () => {
      const data = await this.#redis.getBuffer(this.#keys.namespaced(namespace, name));
      // A plain view, not a Buffer: callers compare and hand on Uint8Arrays.
      return data ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : undefined;
    });
  }

  appendLog(namespace: string, name: string, entries: string[], cap: number, ttlMs: number): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const key = this.#keys.namespaced(namespace, name);
    const count = `${key}:count`;
    const ttl = Math.max(1, Math.round(ttlMs));
    // One transaction: the count and the list move together, so numbers match entries.
    return this.#run(async () => {
      await exec(
        this.#redis
          .multi()
          .rpush(key, ...entries)
          .ltrim(key, -Math.max(1, cap), -1)
          .incrby(count, entries.length)
          .pexpire(key, ttl)
          .pexpire(count, ttl),
      );
    });
  }

  readLog(namespace: string, name: string, limit?: number): Promise<LogEntry[]> {
    const key = this.#keys.namespaced(namespace, name);
    const from = limit === undefined ? 0 : -Math.max(1, limit);
    return this.#run(async () => {
      const [count, values] = (await exec(this.#redis.multi().get(`${key}:count`).lrange(key, from, -1))) as [
        string | null,
        string[],
      ];
      const first = Number(count ?? values.length) - values.length + 1;
      return values.map((value, i) => ({ seq: first + i, value }));
    });
  }

  incr(namespace: string, name: string, ttlMs?: number): Promise<number> {
    const key = this.#keys.namespaced(namespace, name);
    return this.#run(async () => {
      if (ttlMs === undefined) return this.#redis.incr(key);
      // NX: the expiry is set by the first count only, so a window does not slide.
      const [count] = await exec(this.#redis.multi().incr(key).pexpire(key, ttlMs, "NX"));
      return count as number;
    });
  }

  countInWindow(namespace: string, name: string, event: WindowEvent): Promise<WindowCount> {
    return this.#run(async () => {
      const [counted, oldest] = (await this.#script("uhCountInWindow")(
        this.#keys.namespaced(namespace, name),
        event.now,
        event.windowMs,
        event.limit,
        event.id,
        Math.max(1, Math.round(event.idleMs)),
      )) as [number, string?];
      if (counted === 1) return { counted: true };
      return { counted: false, oldest: oldest === undefined ? event.now : Number(oldest) };
    });
  }

  uncountInWindow(namespace: string, name: string, id: string): Promise<void> {
    return this.#run(async () => {
      await this.#redis.zrem(this.#keys.namespaced(namespace, name), id);
    });
  }

  takeSlots(
    namespace: string,
    name: string,
    lease: SlotLease,
    limit: number,
    leaseMs: number,
  ): Promise<boolean> {
    return this.#run(async () => {
      const key = this.#keys.namespaced(namespace, name);
      const ms = Math.max(1, Math.round(leaseMs));
      return (await this.#script("uhTakeSlots")(key, lease.holder, lease.count, limit, ms)) === 1;
    });
  }

  renewSlots(namespace: string, name: string, leases: SlotLease[], leaseMs: number): Promise<void> {
    const slots = leases.flatMap(slotNames);
    if (slots.length === 0) return Promise.resolve();
    return this.#run(async () => {
      const key = this.#keys.namespaced(namespace, name);
      await this.#script("uhRenewSlots")(key, Math.max(1, Math.round(leaseMs)), ...slots);
    });
  }

  releaseSlots(namespace: string, name: string, lease: SlotLease): Promise<void> {
    if (lease.count <= 0) return Promise.resolve();
    return this.#run(async () => {
      await this.#redis.zrem(this.#keys.namespaced(namespace, name), ...slotNames(lease));
    });
  }

  delete(namespace: string, name: string): Promise<void> {
    return this.#run(async () => {
      await this.#redis.unlink(this.#keys.namespaced(namespace, name));
    });
  }

  claim(namespace: string, name: string, owner: string, ttlMs: number): Promise<boolean> {
    return this.#run(async () => {
      const key = this.#keys.namespaced(namespace, name);
      return (await this.#redis.set(key, owner, "PX", Math.max(1, Math.round(ttlMs)), "NX")) === "OK";
    });
  }

  release(namespace: string, name: string, owner: string): Promise<void> {
    return this.#run(async () => {
      await this.#script("uhRelease")(this.#keys.namespaced(namespace, name), owner);
    });
  }

  schedule(id: string, dueAt: number, payload: string): Promise<void> {
    return this.#run(async () => {
      await exec(
        this.#redis.multi().hset(this.#keys.jobPayloads, id, payload).zadd(this.#keys.jobs, dueAt, id),
      );
    });
  }

  takeDue(now: number, leaseMs: number, limit = 100): Promise<DueJob[]> {
    return this.#run(async () => {
      const flat = (await this.#script("uhTakeDue")(
        this.#keys.jobs,
        this.#keys.jobPayloads,
        now,
        leaseMs,
        limit,
      )) as string[];
      const jobs: DueJob[] = [];
      for (let i = 0; i < flat.length; i += 2) jobs.push({ id: flat[i]!, payload: flat[i + 1]! });
      return jobs;
    });
  }

  ack(id: string): Promise<void> {
    return this.#run(async () => {
      await exec(this.#redis.multi().zrem(this.#keys.jobs, id).hdel(this.#keys.jobPayloads, id));
    });
  }

  clearNamespace(namespace: string): Promise<void> {
    const k = this.#keys;
    return this.#run(async () => {
      const stream = this.#redis.scanStream({ match: k.namespacePattern(namespace), count: 500 });
      for await (const keys of stream as AsyncIterable<string[]>)
        if (keys.length > 0) await this.#script("uhForget")(k.blobIndex, k.blobSizes, k.blobBytes, ...keys);
    });
  }

  publish(channel: string, message: string): Promise<void> {
    return this.#run(async () => {
      await this.#redis.publish(this.#keys.channel(channel), message);
    });
  }

  subscribe(channel: string, listener: StoreListener): Promise<() => Promise<void>> {
    return this.#channels.subscribe(this.#keys.channel(channel), listener);
  }

  async close(): Promise<void> {
    this.#channels.close();
    this.#redis.disconnect();
  }

  #script(name: string): ScriptRunner {
    return (this.#redis as unknown as Record<string, ScriptRunner>)[name]!.bind(this.#redis);
  }

  /** Runs one store operation; a lost connection becomes a StoreUnavailableError. */
  async #run<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof ReplyError) throw error;
      throw new StoreUnavailableError((error as Error).message);
    }
  }
}

/** Runs a MULTI batch (or a pipeline) and surfaces the first failed command's error. */
async function exec(batch: ReturnType<Redis["multi"]>): Promise<unknown[]> {
  const results = (await batch.exec()) ?? [];
  const failed = results.find(([error]) => error);
  if (failed) throw failed[0];
  return results.map(([, value]) => value);
}
