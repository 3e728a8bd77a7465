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
  /** Per channel: its listeners, and the SUBSCRIBE that opened it (awaited by each listener). */
  readonly #channels = new Map<string, { listeners: Set<StoreListener>; subscribed: Promise<unknown> }>();
  #subscriber: Redis | undefined;

  constructor(redis: Redis, run: Runner) {
    this.#redis = redis;
    this.#run = run;
  }

  /** Listens on the channel named `name` (prefixed already); the returned function stops. */
  async subscribe(name: string, listener: StoreListener): Promise<() => Promise<void>> {
    const subscriber = this.#connection();
    let channel = this.#channels.get(name);
    if (!channel) {
      const opened = {
        listeners: new Set<StoreListener>(),
        subscribed: this.#run(() => subscriber.subscribe(name)),
      };
      this.#channels.set(name, opened);
      // A failed SUBSCRIBE leaves nothing behind: the next listener subscribes afresh.
      opened.subscribed.catch(() => {
        if (this.#channels.get(name) === opened) this.#channels.delete(name);
      });
      channel = opened;
    }
    await channel.subscribed;
    // Its last listener left while this one waited: the channel is opened again.
    if (this.#channels.get(name) !== channel) return this.subscribe(name, listener);
    const { listeners } = channel;
    // A function of its own, so one listener subscribed twice can be removed twice.
    const own: StoreListener = (message) => listener(message);
    listeners.add(own);
    return async () => {
      listeners.delete(own);
      if (listeners.size > 0 || this.#channels.get(name) !== channel) return;
      this.#channels.delete(name);
      await subscriber.unsubscribe(name).catch(() => {});
    };
  }

  close(): void {
    this.#channels.clear();
    this.#subscriber?.disconnect();
  }

  #connection(): Redis {
    if (this.#subscriber) return this.#subscriber;
    const subscriber = this.#redis.duplicate({ enableOfflineQueue: true, lazyConnect: false });
    subscriber.on("error", () => {});
    subscriber.on("message", (channel: string, message: string) => {
      for (const listener of this.#channels.get(channel)?.listeners ?? []) listener(message);
    });
    this.#subscriber = subscriber;
    return subscriber;
  }
}
