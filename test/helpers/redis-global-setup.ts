/** Global setup of the `redis-store` vitest project: one redis-server for its files. */
import type { TestProject } from "vitest/node";
import { startRedis } from "../../scripts/lib/redis-server.ts";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startRedis();
  project.provide("testRedisUrl", redis.url);
  return () => redis.stop();
}
