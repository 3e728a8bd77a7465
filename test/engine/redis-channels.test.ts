/**
 * The Redis store's pub/sub: a channel whose SUBSCRIBE failed is opened afresh by the next
 * listener, rather than left as an empty entry that never hears anything.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RedisChannels } from "../../mocks/engine/store/redis-channels.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";

let server: TestRedis;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

describe("redis channels", () => {
  it("subscribe afresh after a failed SUBSCRIBE, and hear what is published", async () => {
    const redis = new Redis(server.url);
    let failNext = true;
    // The store's runner, failing the first operation as a lost connection would.
    const channels = new RedisChannels(redis, (operation) => {
      if (!failNext) return operation();
      failNext = false;
      return Promise.reject(new Error("store away"));
    });
    try {
      await expect(channels.subscribe("news", () => {})).rejects.toThrow("store away");
      const heard: string[] = [];
      const stop = await channels.subscribe("news", (message) => heard.push(message));
      await expect
        .poll(async () => {
          await redis.publish("news", "hello");
          return heard.length;
        })
        .toBeGreaterThan(0);
      expect(heard[0]).toBe("hello");
      await stop();
    } finally {
      channels.close();
      redis.disconnect();
    }
  });
});
