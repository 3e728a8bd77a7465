/**
 * Tasks, files and webhooks across three server processes on one redis-server (started here on
 * a free loopback port): behind a round-robin "load balancer", every provider's upscale is
 * created on one replica, polled on others and its result fetched from each; a webhook leaves
 * once; a replica killed mid-task loses nothing; Redis stalling mid-task gives clear 503s and
 * the task carries on when it answers again. Task lists (Freepik's, the admin API's) show every
 * replica's tasks through any of them.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Serving } from "../../scripts/lib/child.ts";
import { dimensionsOf, makeImage, toBase64 } from "../../scripts/lib/images.ts";
import type { TestRedis } from "../../scripts/lib/redis-server.ts";
import { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import { createUpscaler, type ProviderId } from "../../src/index.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";
import { type ReplicaFleet, startReplicaFleet, until as waitUntil } from "../helpers/replica-fleet.ts";
import type { RoundRobin } from "../helpers/round-robin.ts";

let fleet: ReplicaFleet;
let redis: TestRedis;
let replicas: Serving[] = [];
let receiver: Receiver;
let balancer: RoundRobin;
/** Each provider host's base URL (`freepik.api`, …) on the balancer. */
let urls: Record<string, string>;

const startReplica = () => fleet.add();

beforeAll(async () => {
  fleet = await startReplicaFleet(["--latency", "none"]);
  ({ redis, replicas, balancer, urls } = fleet);
  receiver = await startReceiver();
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
  await receiver?.close();
});

/** The same URL on replica `index` (every replica serves the same paths). */
const on = (index: number, url: string) => fleet.on(replicas[index]!, url);

const until = <T>(ask: () => Promise<T | undefined>) => waitUntil(ask, 15_000, 100);

const freepikKey = { "x-freepik-api-key": "fpk-test", "content-type": "application/json" };

async function freepikTask(
  replica: number,
  webhookPath?: string,
): Promise<{ taskId: string; statusUrl: string }> {
  const created = await fetch(on(replica, `${urls["freepik.api"]}/v1/ai/image-upscaler`), {
    method: "POST",
    headers: freepikKey,
    body: JSON.stringify({
      image: toBase64(await makeImage(12, 10)),
      scale_factor: "2x",
      ...(webhookPath ? { webhook_url: `${receiver.url}${webhookPath}` } : {}),
    }),
  });
  expect(created.status).toBe(200);
  const { data } = (await created.json()) as { data: { task_id: string } };
  return { taskId: data.task_id, statusUrl: `${urls["freepik.api"]}/v1/ai/image-upscaler/${data.task_id}` };
}

async function freepikStatus(replica: number, statusUrl: string): Promise<Response> {
  return fetch(on(replica, statusUrl), { headers: freepikKey });
}

const hooksTo = (path: string) => receiver.received.filter((request) => request.path === path);

describe("tasks and files on replicas sharing Redis", () => {
  it.each(["freepik", "fal", "chainhub", "ideogram", "onemin"] as const)(
    "%s: created on one replica, polled on others, its result fetched from each",
    async (provider: ProviderId) => {
      balancer.served.length = 0;
      const upscaler = createUpscaler({
        provider,
        apiKeys: { [provider]: "local-key" },
        baseUrls: {
          ideogram: urls["ideogram.api"]!,
          chainhub: urls["chainhub.api"]!,
          fal: `${balancer.url}/fal`,
          onemin: { api: urls["onemin.api"]!, asset: urls["onemin.asset"]! },
          freepik: urls["freepik.api"]!,
        },
      });
      const result = await upscaler.upscale(await makeImage(14, 10), {
        providerOptions: { fal: { upload: "storage" } },
      });
      // Each request went to the next replica: the submit, the polls and the result apart.
      expect(new Set(balancer.served).size).toBe(Math.min(3, balancer.served.length));
      for (const index of [0, 1, 2]) {
        const image = await fetch(on(index, result.images[0]!.url));
        expect(image.status).toBe(200);
        expect(await dimensionsOf(new Uint8Array(await image.arrayBuffer()))).toMatchObject({
          width: 28,
          height: 20,
        });
      }
    },
    30_000,
  );

  it("sends a task's webhook once, from whichever replica takes its transition", async () => {
    const path = `/once-${Date.now()}`;
    const tasks = await Promise.all([0, 1, 2].map((replica) => freepikTask(replica, path)));
    // Nobody polls: the transitions come from the shared due queue alone.
    await until(async () => (hooksTo(path).length >= tasks.length ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const bodies = hooksTo(path).map(
      (request) => JSON.parse(request.body) as { task_id: string; status: string },
    );
    expect(bodies.map((body) => body.task_id).sort()).toEqual(tasks.map((task) => task.taskId).sort());
    expect(bodies.every((body) => body.status === "COMPLETED")).toBe(true);
  }, 30_000);

  it("loses nothing when the replica holding a task is killed with SIGKILL", async () => {
    const victim = await startReplica();
    const path = `/killed-${Date.now()}`;
    const { taskId, statusUrl } = await freepikTask(replicas.length - 1, path);
    victim.child.kill("SIGKILL");
    replicas.pop();
    const [hook] = await until(async () => (hooksTo(path).length > 0 ? hooksTo(path) : undefined));
    expect(JSON.parse(hook!.body)).toMatchObject({ task_id: taskId, status: "COMPLETED" });
    const status = (await (await freepikStatus(1, statusUrl)).json()) as {
      data: { status: string; generated: string[] };
    };
    expect(status.data.status).toBe("COMPLETED");
    // Rendered from the stored input by a replica that never saw the request.
    const image = await fetch(on(2, status.data.generated[0]!));
    expect(image.status).toBe(200);
    expect(await dimensionsOf(new Uint8Array(await image.arrayBuffer()))).toMatchObject({
      width: 24,
      height: 20,
    });
  }, 30_000);

  it("answers a clear 503 while Redis stalls mid-task, then finishes the task", async () => {
    const path = `/stalled-${Date.now()}`;
    const { taskId, statusUrl } = await freepikTask(0, path);
    redis.pause();
    try {
      const away = await freepikStatus(1, statusUrl);
      expect(away.status).toBe(503);
      expect(away.headers.get("x-mock-error")).toBe("store-unavailable");
      expect(((await away.json()) as { error: string }).error).toMatch(/shared state store is unavailable/);
    } finally {
      redis.resume();
    }
    const done = await until(async () => {
      const answer = await freepikStatus(2, statusUrl);
      if (answer.status !== 200) return undefined;
      const body = (await answer.json()) as { data: { status: string } };
      return body.data.status === "COMPLETED" ? body : undefined;
    });
    expect(done.data.status).toBe("COMPLETED");
    const [hook] = await until(async () => (hooksTo(path).length > 0 ? hooksTo(path) : undefined));
    expect(JSON.parse(hook!.body)).toMatchObject({ task_id: taskId, status: "COMPLETED" });
    for (const replica of replicas) expect(replica.child.exitCode).toBeNull();
  }, 30_000);
});

describe("task lists on replicas sharing Redis", () => {
  const spec = new SpecConformance();
  const run = Date.now();
  const inNamespace = (namespace: string) => ({ ...freepikKey, "x-mock-namespace": namespace });

  /** A Freepik task of the kind at `base`, created through one replica. */
  async function create(replica: number, namespace: string, base = "/v1/ai/image-upscaler"): Promise<string> {
    const created = await fetch(on(replica, `${urls["freepik.api"]}${base}`), {
      method: "POST",
      headers: inNamespace(namespace),
      body: JSON.stringify({ image: toBase64(await makeImage(12, 10)) }),
    });
    expect(created.status).toBe(200);
    return ((await created.json()) as { data: { task_id: string } }).data.task_id;
  }

  /** The ids a replica's Freepik list answers, in its order, after checking it against the spec. */
  async function listedBy(replica: number, namespace: string, base: string, operation: string) {
    const answer = await fetch(on(replica, `${urls["freepik.api"]}${base}`), {
      headers: inNamespace(namespace),
    });
    const value = (await answer.json()) as { data: Array<{ task_id: string; status: string }> };
    const asServed = {
      status: answer.status,
      headers: Object.fromEntries(answer.headers),
      body: { kind: "json" as const, value },
    };
    expect(spec.check("freepik", operation, asServed)).toEqual([]);
    expect(answer.status).toBe(200);
    return value.data.map((task) => task.task_id);
  }

  const admin = async <T>(replica: number, path: string): Promise<T> =>
    (await (await fetch(`${replicas[replica]!.url}/__admin/${path}`)).json()) as T;

  it("Freepik's lists show every replica's tasks, oldest first, through each replica", async () => {
    const namespace = `lists-${run}`;
    const creative: string[] = [];
    for (const replica of [0, 1, 2, 1]) creative.push(await create(replica, namespace));
    const precision = [await create(2, namespace, "/v1/ai/image-upscaler-precision")];
    for (const replica of [0, 1, 2]) {
      expect(await listedBy(replica, namespace, "/v1/ai/image-upscaler", "listUpscales")).toEqual(creative);
      expect(
        await listedBy(replica, namespace, "/v1/ai/image-upscaler-precision", "listPrecisionUpscales"),
      ).toEqual(precision);
    }
  }, 30_000);

  it("the admin API's task list and the dashboard's timeline show them all through each replica", async () => {
    // A namespace per view: each replica's first look at one is the one that must load the tasks.
    for (const view of ["tasks", "timeline"] as const) {
      const namespace = `${view}-${run}`;
      const ids: string[] = [];
      for (const replica of [2, 0, 1]) ids.push(await create(replica, namespace));
      for (const replica of [0, 1, 2]) {
        if (view === "tasks") {
          const newest = await admin<{ tasks: Array<{ id: string }> }>(
            replica,
            `tasks?namespace=${namespace}&limit=2`,
          );
          expect(newest.tasks.map((task) => task.id)).toEqual(ids.slice(-2));
        }
        const listed =
          view === "tasks"
            ? (await admin<{ tasks: Array<{ id: string }> }>(replica, `tasks?namespace=${namespace}`)).tasks
            : (await admin<{ rows: Array<{ id: string }> }>(replica, `timeline?namespace=${namespace}`)).rows;
        // The list is oldest first, the timeline newest first.
        const expected = view === "tasks" ? ids : [...ids].reverse();
        expect(listed.map((task) => task.id)).toEqual(expected);
      }
    }
  }, 30_000);

  it("the dashboard's recent upscales and their images come through any replica", async () => {
    const namespace = `upscales-${run}`;
    const outputs: string[] = [];
    for (const replica of [0, 1]) {
      const id = await create(replica, namespace);
      const done = await until(async () => {
        const answer = await fetch(on(2, `${urls["freepik.api"]}/v1/ai/image-upscaler/${id}`), {
          headers: inNamespace(namespace),
        });
        const { data } = (await answer.json()) as { data: { status: string; generated: string[] } };
        return data.status === "COMPLETED" ? data : undefined;
      });
      outputs.push(
        new URL(done.generated[0]!).pathname
          .split("/")
          .at(-1)!
          .replace(/\.png$/, ""),
      );
    }
    type Upscale = { output: string; source: string; namespace: string; width: number; height: number };
    for (const replica of [2, 1, 0]) {
      const { upscales } = await admin<{ upscales: Upscale[] }>(replica, `upscales?namespace=${namespace}`);
      // Newest first, each at its result's size (12x10 at 2x).
      expect(upscales.map((upscale) => upscale.output)).toEqual([...outputs].reverse());
      for (const upscale of upscales) {
        expect(upscale).toMatchObject({ namespace, width: 24, height: 20 });
        for (const id of [upscale.source, upscale.output]) {
          const image = await fetch(`${replicas[replica]!.url}/__admin/files/${id}?namespace=${namespace}`);
          expect(image.status).toBe(200);
          expect(await dimensionsOf(new Uint8Array(await image.arrayBuffer()))).toMatchObject(
            id === upscale.output ? { width: 24, height: 20 } : { width: 12, height: 10 },
          );
        }
      }
    }
  }, 30_000);

  it("keeps the index in Redis no longer than its tasks' records", async () => {
    const client = new Redis(redis.url);
    try {
      const key = (name: string) => `uh:ns:{lists-${run}}:${name}`;
      const ids = await client.zrange(key("tasks:freepik"), 0, -1);
      expect(ids.length).toBe(5);
      const index = await client.pttl(key("tasks:freepik"));
      const records = await Promise.all(ids.map((id) => client.pttl(key(`task:${id}`))));
      expect(Math.min(...records)).toBeGreaterThan(0);
      // As long as the longest-lived record, give or take the time between their writes.
      expect(Math.abs(index - Math.max(...records))).toBeLessThan(5_000);
      expect(index).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
    } finally {
      client.disconnect();
    }
  });
});
