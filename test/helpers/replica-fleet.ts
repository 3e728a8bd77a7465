/**
 * The setup the multi-replica tests share: a redis-server started here on a free loopback port,
 * three CLI replicas on it (`mock --port 0 --public-url <balancer>` plus the test's flags) and a
 * round-robin balancer in front of the first three. Replicas a test adds (`add`) are reachable
 * directly, not through the balancer; `stop` stops them all.
 */
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";
import { type RoundRobin, startRoundRobin } from "./round-robin.ts";

export interface ReplicaFleet {
  redis: TestRedis;
  balancer: RoundRobin;
  /** The first three serve behind the balancer; `add` appends more. */
  replicas: Serving[];
  /** Each provider host's base URL (`freepik.api`, …) on the balancer. */
  urls: Record<string, string>;
  /** Starts one more replica on the same store (with the same flags). */
  add(): Promise<Serving>;
  /** The same URL on `replica` (every replica serves the same paths). */
  on(replica: Serving, url: string): string;
  stop(): Promise<void>;
}

export async function startReplicaFleet(flags: string[]): Promise<ReplicaFleet> {
  const redis = await startRedis();
  const replicas: Serving[] = [];
  const balancer = await startRoundRobin(() => replicas.slice(0, 3).map((replica) => replica.url));
  const start = () =>
    startCli(["mock", "--port", "0", "--quiet", "--public-url", balancer.url, ...flags], {
      UPSCALE_HARNESS_STORE: redis.url,
    });
  replicas.push(...(await Promise.all([0, 1, 2].map(start))));
  const first = replicas[0]!.url;
  const server = (await (await fetch(`${first}/__admin/server`)).json()) as { urls: Record<string, string> };
  return {
    redis,
    balancer,
    replicas,
    urls: Object.fromEntries(
      Object.entries(server.urls).map(([name, url]) => [name, url.replace(first, balancer.url)]),
    ),
    add: async () => {
      const replica = await start();
      replicas.push(replica);
      return replica;
    },
    on: (replica, url) => {
      const moved = new URL(url);
      const target = new URL(replica.url);
      moved.protocol = target.protocol;
      moved.host = target.host;
      return moved.toString();
    },
    stop: async () => {
      await Promise.all(replicas.map((replica) => replica.stop()));
      await balancer.close();
      await redis.stop();
    },
  };
}

/** Asks until `ask` gives a value, every `everyMs`, failing after `timeoutMs`. */
export async function until<T>(
  ask: () => Promise<T | undefined>,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("Timed out waiting.");
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
