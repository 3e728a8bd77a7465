/**
 * Pub/sub for the Redis store: one connection in subscriber mode carries every channel this
 * process listens on (ioredis resubscribes after a reconnect), each with its own listeners.
 */
import type { Redis } from "ioredis";
import type { StoreListener } from "./state-store.ts";

/** Runs one store operation, turning a lost connection into the store's own error. */
type Runner = <T>(operation: () => Promise<T>) => Promise<T>;

export class RedisChannels {
  readonly #redis: Redis;
  readonly #run: Runner;
  readonly #listeners = new Map<string, Set<StoreListener>>();
  #subscriber: Redis | undefined;

  constructor(redis: Redis, run: Runner) {
    this.#redis = redis;
    this.#run = run;
  }

  /** Listens on the channel named `name` (prefixed already); the returned function stops. */
  async subscribe(name: string, listener: StoreListener): Promise<() => Promise<void>> {
    const subscriber = this.#connection();
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
      await this.#run(() => subscriber.subscribe(name));
    }
    // A function of its own, so one listener subscribed twice can be removed twice.
    const own: StoreListener = (message) => listener(message);
    set.add(own);
    return async () => {
      set.delete(own);
      if (set.size > 0 || this.#listeners.get(name) !== set) return;
      this.#listeners.delete(name);
      await subscriber.unsubscribe(name).catch(() => {});
    };
  }

  close(): void {
    this.#listeners.clear();
    this.#subscriber?.disconnect();
  }

  #connection(): Redis {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    subscriber.on("error", () => {});
    subscriber.on("message", (channel: string, message: string) => {
      for (const listener of this.#listeners.get(channel) ?? []) listener(message);
    });
    this.#subscriber = subscriber;
    return subscriber;
  }
}
