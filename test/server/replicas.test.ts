/**
 * Three server processes on one redis-server (started here on a free loopback port): what one
 * replica's admin API sets holds on the others, attempt counts add up across them, a reset
 * reaches all, and Redis going away gives a clear 503 and recovery, never a crash.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";

let redis: TestRedis;
let replicas: Serving[] = [];

beforeAll(async () => {
  redis = await startRedis();
  replicas = await Promise.all(
    [0, 1, 2].map(() =>
      startCli(["mock", "--port", "0", "--latency", "none", "--quiet"], { UPSCALE_HARNESS_STORE: redis.url }),
    ),
  );
}, 90_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await redis?.stop();
});

/** A Freepik status read of a task nobody created: 404 when healthy, the fault otherwise. */
async function poll(replica: Serving, namespace: string): Promise<Response> {
  return fetch(`${replica.url}/freepik/v1/ai/image-upscaler/${randomUUID()}`, {
    headers: { "x-freepik-api-key": "any", "x-mock-namespace": namespace },
  });
}

async function admin(replica: Serving, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${replica.url}/__admin/${path}`, {
    method,
    ...(body ? { headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
}

/** Asks until the answer has `wanted` status (or 10 s pass); returns the last status. */
async function statusWithin(ask: () => Promise<Response>, wanted: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  let status = 0;
  while (Date.now() < deadline) {
    status = (await ask()).status;
    if (status === wanted) return status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return status;
}

describe("replicas on one Redis", () => {
  it("report the shared store in their health", async () => {
    const health = await (await admin(replicas[1]!, "GET", "health")).json();
    expect(health.store).toBe("redis");
  });

  it("hold a scenario set through one replica's admin API on every other", async () => {
    const ns = `scenario-${randomUUID()}`;
    expect((await poll(replicas[1]!, ns)).status).toBe(404);
    const set = await admin(replicas[0]!, "POST", "scenarios", {
      namespace: ns,
      provider: "freepik",
      scenario: "outage",
    });
    expect(set.status).toBe(200);
    for (const replica of replicas) expect((await poll(replica, ns)).status).toBe(503);
    const listed = await (await admin(replicas[2]!, "GET", `scenarios?namespace=${ns}`)).json();
    expect(listed.scenarios).toEqual({ freepik: "outage" });
    expect((await admin(replicas[2]!, "DELETE", `scenarios?namespace=${ns}&provider=freepik`)).status).toBe(
      200,
    );
    for (const replica of replicas) expect((await poll(replica, ns)).status).toBe(404);
  });

  it("count attempts across replicas: the first two status reads are refused wherever they land", async () => {
    const ns = `attempts-${randomUUID()}`;
    await admin(replicas[2]!, "POST", "scenarios", {
      namespace: ns,
      provider: "freepik",
      scenario: "rate-limited",
    });
    const statuses = [];
    for (const replica of [replicas[0]!, replicas[1]!, replicas[2]!, replicas[0]!])
      statuses.push((await poll(replica, ns)).status);
    expect(statuses).toEqual([429, 429, 404, 404]);
  });

  it("reset a namespace everywhere from any replica", async () => {
    const ns = `reset-${randomUUID()}`;
    await admin(replicas[0]!, "POST", "scenarios", { namespace: ns, provider: "*", scenario: "outage" });
    expect((await poll(replicas[2]!, ns)).status).toBe(503);
    expect((await admin(replicas[1]!, "POST", "reset", { namespace: ns })).status).toBe(200);
    for (const replica of replicas) expect((await poll(replica, ns)).status).toBe(404);
  });

  it("answer a clear 503 while Redis is away and recover when it returns", async () => {
    const ns = `outage-${randomUUID()}`;
    await redis.kill();
    const away = await poll(replicas[0]!, ns);
    expect(away.status).toBe(503);
    expect(away.headers.get("x-mock-error")).toBe("store-unavailable");
    expect((await away.json()).error).toMatch(/shared state store is unavailable/);
    const refused = await admin(replicas[1]!, "POST", "scenarios", {
      namespace: ns,
      provider: "freepik",
      scenario: "outage",
    });
    expect(refused.status).toBe(503);
    await redis.restart();
    // Each replica reconnects on its own (within a second or so) and answers again.
    for (const replica of replicas) expect(await statusWithin(() => poll(replica, ns), 404)).toBe(404);
    // Announcements flow again too: a scenario set on one replica reaches another.
    expect(
      (
        await admin(replicas[1]!, "POST", "scenarios", {
          namespace: ns,
          provider: "freepik",
          scenario: "outage",
        })
      ).status,
    ).toBe(200);
    expect(await statusWithin(() => poll(replicas[2]!, ns), 503)).toBe(503);
    expect((await poll(replicas[2]!, ns)).headers.get("x-mock-error")).toBeNull();
    for (const replica of replicas) expect(replica.child.exitCode).toBeNull();
  }, 30_000);
});
