/**
 * Provider limits across three server processes on one redis-server, behind a round-robin "load
 * balancer": 1min.ai's requests a minute per key and Ideogram's images in flight hold for the
 * replicas together, as they would for one provider, and the slots of a replica killed with
 * SIGKILL come free once their lease lapses. Replicas run on a virtual clock, so an upscale
 * stays in flight until the test advances it.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { namespaceHeader } from "../../mocks/provider-hosts.ts";
import type { Serving } from "../../scripts/lib/child.ts";
import { makeImage } from "../../scripts/lib/images.ts";
import { type ReplicaFleet, startReplicaFleet, until } from "../helpers/replica-fleet.ts";
import type { RoundRobin } from "../helpers/round-robin.ts";

let fleet: ReplicaFleet;
let client: Redis;
let replicas: Serving[] = [];
let balancer: RoundRobin;
/** Each provider host's base URL (`onemin.api`, …) on the balancer. */
let urls: Record<string, string>;

const startReplica = () => fleet.add();

beforeAll(async () => {
  fleet = await startReplicaFleet(["--clock", "virtual"]);
  ({ replicas, balancer, urls } = fleet);
  client = new Redis(fleet.redis.url);
}, 90_000);

afterAll(async () => {
  client?.disconnect();
  await fleet?.stop();
});

/** Moves a namespace's virtual clock on every replica (through the balancer, so through any one). */
async function advance(namespace: string, ms: number): Promise<void> {
  const moved = await fetch(`${balancer.url}/__admin/clock/advance`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ namespace, ms }),
  });
  expect(moved.status).toBe(200);
  const { now } = (await moved.json()) as { now: string };
  // Every replica has heard (over pub/sub) once each reports the new time.
  for (const replica of replicas.slice(0, 3))
    await until(async () => {
      const clock = await fetch(`${replica.url}/__admin/clock?namespace=${encodeURIComponent(namespace)}`);
      return ((await clock.json()) as { now: string }).now === now ? true : undefined;
    });
}

describe("1min.ai's requests a minute per key, on replicas sharing Redis", () => {
  const feature = (namespace: string, key = "local-key") =>
    fetch(`${urls["onemin.api"]}/api/features`, {
      method: "POST",
      headers: { "API-KEY": key, "content-type": "application/json", [namespaceHeader]: namespace },
      body: "{",
    });

  it("refuses the 6th request of a minute through any replica with 429 and Retry-After", async () => {
    const namespace = `rate-${randomUUID()}`;
    // Set through one replica; it holds on the others.
    const set = await fetch(`${replicas[0]!.url}/__admin/settings`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ namespace, key: "onemin.rateLimitPerMinute", value: "5" }),
    });
    expect(set.status).toBe(200);
    for (const replica of replicas) {
      const read = await fetch(`${replica.url}/__admin/settings?namespace=${namespace}`);
      expect(await read.json()).toMatchObject({ settings: { "onemin.rateLimitPerMinute": "5" } });
    }
    // Separate replicas' virtual clocks agree from the first advance on (docs/deployment.md).
    await advance(namespace, 1_000);
    balancer.served.length = 0;
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await feature(namespace));
    expect(new Set(balancer.served)).toEqual(new Set([0, 1, 2]));
    // The five counted ones reach the handler, which refuses the body ("{" is no JSON).
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400, 400, 429]);
    const refused = answers[5]!;
    expect(await refused.json()).toMatchObject({
      message: "Too many requests. Limit is 5 requests per minute.",
    });
    expect(Number(refused.headers.get("retry-after"))).toBe(60);
    expect((await feature(namespace)).status).toBe(429);
    expect((await feature(namespace, "another-key")).status).toBe(400);
    // The window runs on the namespace's virtual clock.
    await advance(namespace, 30_000);
    expect((await feature(namespace)).headers.get("retry-after")).toBe("30");
    await advance(namespace, 30_000);
    expect((await feature(namespace)).status).toBe(400);
  }, 30_000);
});

describe("Ideogram's images in flight, on replicas sharing Redis", () => {
  const upscale = async (replica: Serving, namespace: string, images: number) => {
    const body = new FormData();
    body.append("image_request", JSON.stringify({ num_images: images }));
    const png = (await makeImage(8, 8)) as Uint8Array<ArrayBuffer>;
    body.append("image_file", new Blob([png], { type: "image/png" }), "a.png");
    return fetch(fleet.on(replica, `${urls["ideogram.api"]}/upscale`), {
      method: "POST",
      headers: { "Api-Key": "local-key", [namespaceHeader]: namespace },
      body,
    });
  };
  /** Slots whose lease has not lapsed, on Redis's own clock (docs/deployment.md, "Keys"). */
  const liveSlots = async (namespace: string) => {
    const [seconds, micros] = await client.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return client.zcount(`uh:ns:{${namespace}}:slots:ideogram:inflight-images`, `(${now}`, "+inf");
  };
  const untilLive = (namespace: string, count: number) =>
    until(async () => ((await liveSlots(namespace)) === count ? true : undefined));

  it("holds the limit of 10 for the replicas together, and frees slots with each answer", async () => {
    const namespace = `inflight-${randomUUID()}`;
    const first = upscale(replicas[0]!, namespace, 4);
    await untilLive(namespace, 4);
    const second = upscale(replicas[1]!, namespace, 4);
    await untilLive(namespace, 8);
    const refused = await upscale(replicas[2]!, namespace, 3);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: "Too many in-flight requests. Wait for running upscales to finish, then retry.",
      reject_reason: "inflight_limit",
      max_inflight_requests: 10,
    });
    const third = upscale(replicas[2]!, namespace, 2);
    await untilLive(namespace, 10);
    expect((await upscale(replicas[0]!, namespace, 1)).status).toBe(429);
    await advance(namespace, 60_000);
    expect((await Promise.all([first, second, third])).map((answer) => answer.status)).toEqual([
      200, 200, 200,
    ]);
    expect(await liveSlots(namespace)).toBe(0);
  }, 30_000);

  it("frees the slots of a replica killed with SIGKILL once their lease lapses", async () => {
    const namespace = `killed-${randomUUID()}`;
    const victim = await startReplica();
    const lost = upscale(victim, namespace, 8).catch(() => undefined);
    await untilLive(namespace, 8);
    victim.child.kill("SIGKILL");
    const killedAt = Date.now();
    await lost;
    expect((await upscale(replicas[0]!, namespace, 3)).status).toBe(429);
    // The lease is 5 s; the victim no longer renews it.
    await untilLive(namespace, 0);
    expect(Date.now() - killedAt).toBeLessThan(7_000);
    const next = upscale(replicas[1]!, namespace, 8);
    await untilLive(namespace, 8);
    await advance(namespace, 60_000);
    expect((await next).status).toBe(200);
  }, 30_000);
});
