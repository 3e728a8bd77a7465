/**
 * Two simulators on one state store share tasks and results: a Freepik task created on one is
 * polled to its end on the other, which serves its result (rendered from the stored input), and
 * its webhook leaves once though both take due transitions. On the in-memory store and on a
 * redis-server started here; without a store, the other simulator knows nothing of the task.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { SimRequest } from "../../mocks/engine/sim-http.ts";
import type { StateStore } from "../../mocks/engine/store/state-store.ts";
import { decodeTask, encodeTask } from "../../mocks/engine/task-codec.ts";
import type { Task } from "../../mocks/engine/tasks.ts";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { dimensionsOf, makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import { useStorePairs } from "../helpers/store-pairs.ts";

const { stores, closers } = useStorePairs();
const origin = "http://sim.invalid";
const spec = new SpecConformance();

function simulators(
  store: [StateStore, StateStore] | undefined,
  sent: string[] = [],
  maxTasksPerNamespace?: number,
): [Simulator, Simulator] {
  const sims = [0, 1].map((index) =>
    createSimulator({
      latency: "none",
      stateHoldMs: 100,
      ...(maxTasksPerNamespace ? { maxTasksPerNamespace } : {}),
      ...(store ? { store: store[index]! } : {}),
      allowWebhookUrl: () => true,
      webhookSender: async (_url, init) => {
        sent.push(init.body);
        return { status: 200 };
      },
    }),
  );
  for (const sim of sims) closers.push(() => sim.close());
  return sims as [Simulator, Simulator];
}

/** One Freepik request to `sim`; URLs it hands back are `<origin>/<host><path>`. */
async function send(sim: Simulator, namespace: string, method: string, url: string, body?: unknown) {
  const parsed = new URL(url);
  const [, host, ...rest] = parsed.pathname.split("/");
  const req: SimRequest = {
    method,
    path: `/${rest.join("/")}`,
    query: parsed.searchParams,
    headers: { "x-freepik-api-key": "any", "content-type": "application/json" },
    body: new TextEncoder().encode(body === undefined ? "" : JSON.stringify(body)),
  };
  return sim.handle({
    provider: "freepik",
    host: host!,
    req,
    namespace,
    url: (to, path) => `${origin}/${to}${path}`,
    resolveOwn: () => undefined,
  });
}

const jsonOf = (answer: { body: { kind: string; value?: unknown } }) =>
  (answer.body as { value: { data: { task_id: string; status: string; generated: string[] } } }).value.data;

async function create(sim: Simulator, namespace: string, webhookUrl?: string): Promise<string> {
  const answer = await send(sim, namespace, "POST", `${origin}/api/v1/ai/image-upscaler`, {
    image: toBase64(await makeImage(12, 10)),
    scale_factor: "2x",
    ...(webhookUrl ? { webhook_url: webhookUrl } : {}),
  });
  expect(answer.status).toBe(200);
  return jsonOf(answer).task_id;
}

describe.each(stores)("tasks on one $name store", ({ open }) => {
  it("are polled to their end on another simulator, which serves the result", async () => {
    const [a, b] = simulators(await open());
    const ns = `t-${randomUUID()}`;
    const id = await create(a, ns);
    let status = "";
    let generated: string[] = [];
    for (let i = 0; i < 10 && status !== "COMPLETED"; i++) {
      const answer = await send(b, ns, "GET", `${origin}/api/v1/ai/image-upscaler/${id}`);
      expect(answer.status).toBe(200);
      ({ status, generated } = jsonOf(answer));
    }
    expect(status).toBe("COMPLETED");
    const image = await send(b, ns, "GET", generated[0]!);
    expect(image.status).toBe(200);
    expect(image.body.kind).toBe("bytes");
    const data = (image.body as { value: Uint8Array }).value;
    expect(await dimensionsOf(data)).toMatchObject({ width: 24, height: 20 });
  });

  it("count concurrent polls of one task exactly once each, on both simulators", async () => {
    const pair = await open();
    const [a, b] = simulators(pair);
    const ns = `p-${randomUUID()}`;
    const id = await create(a, ns);
    const poll = (sim: Simulator) => send(sim, ns, "GET", `${origin}/api/v1/ai/image-upscaler/${id}`);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => poll(i % 2 ? a : b)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    const record = await pair[0].getRecord(ns, `task:${id}`);
    expect(Number(record?.polls)).toBe(40);
  });

  it("take back a poll counted ahead when the read makes none, even amid concurrent polls", async () => {
    const pair = await open();
    const [a, b] = simulators(pair);
    const ns = `q-${randomUUID()}`;
    const id = await create(a, ns);
    // The precision endpoint does not know a plain upscale's task: 404, and no poll made.
    const read = (sim: Simulator, path: string) => send(sim, ns, "GET", `${origin}/api${path}/${id}`);
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        read(i % 2 ? a : b, i % 3 ? "/v1/ai/image-upscaler" : "/v1/ai/image-upscaler-precision"),
      ),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([
      ...Array<number>(20).fill(200),
      ...Array<number>(10).fill(404),
    ]);
    expect(Number((await pair[0].getRecord(ns, `task:${id}`))?.polls)).toBe(20);
    expect(await pair[0].getRecord(ns, "task:00000000-0000-4000-8000-000000000000")).toBeUndefined();
  });

  it("take a state forced through the other simulator (the admin API's way)", async () => {
    const [a, b] = simulators(await open());
    const ns = `f-${randomUUID()}`;
    const id = await create(a, ns);
    const forced = await b.withTask(ns, id, (held, task) => task && held.tasks.force(task, "FAILED").state);
    expect(forced).toBe("FAILED");
    const answer = await send(a, ns, "GET", `${origin}/api/v1/ai/image-upscaler/${id}`);
    expect(jsonOf(answer).status).toBe("FAILED");
  });

  it("send each webhook once, though both simulators take due transitions", async () => {
    const sent: string[] = [];
    const [a] = simulators(await open(), sent);
    const ns = `w-${randomUUID()}`;
    const ids = [
      await create(a, ns, "http://127.0.0.1:9/hook"),
      await create(a, ns, "http://127.0.0.1:9/hook"),
    ];
    await expect.poll(() => sent.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const tasks = sent.map((body) => (JSON.parse(body) as { task_id: string }).task_id);
    expect(tasks.sort()).toEqual([...ids].sort());
  });
});

/** The task ids a simulator's Freepik list answers, checked against the spec's list shape. */
async function listed(sim: Simulator, namespace: string): Promise<string[]> {
  const answer = await send(sim, namespace, "GET", `${origin}/api/v1/ai/image-upscaler`);
  expect(answer.status).toBe(200);
  expect(spec.check("freepik", "listUpscales", answer)).toEqual([]);
  const body = (answer.body as { value: { data: Array<{ task_id: string }> } }).value;
  return body.data.map((task) => task.task_id);
}

describe.each(stores)("task lists on one $name store", ({ open }) => {
  it("show every simulator's tasks, oldest first, whichever simulator answers", async () => {
    const [a, b] = simulators(await open());
    const ns = `l-${randomUUID()}`;
    const ids: string[] = [];
    for (const sim of [a, b, b, a]) ids.push(await create(sim, ns));
    // The newest few only (b holds two older ones of its own), then all of them.
    expect((await b.listTasks(ns, undefined, 2)).map((task) => task.id)).toEqual(ids.slice(-2));
    for (const sim of [a, b]) {
      expect(await listed(sim, ns)).toEqual(ids);
      expect((await sim.listTasks(ns)).map((task) => task.id)).toEqual(ids);
    }
    // Ties in creation time go by id, the same on every simulator.
    const byCreation = [...(await a.listTasks(ns))].sort(
      (x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1),
    );
    expect(byCreation.map((task) => task.id)).toEqual(ids);
  });

  it("keep as many tasks as a simulator holds per namespace, and drop ones whose records expired", async () => {
    const pair = await open();
    const [a, b] = simulators(pair, [], 3);
    const ns = `c-${randomUUID()}`;
    const ids: string[] = [];
    for (const sim of [a, b, a, b, a]) {
      ids.push(await create(sim, ns));
      // Each task finishes (one hold) before the next, so a full simulator makes room.
      await new Promise((resolve) => setTimeout(resolve, 120));
    }
    expect(await pair[0].readIndex(ns, "tasks:freepik")).toEqual(ids.slice(-3));
    expect(await listed(b, ns)).toEqual(ids.slice(-3));
    // A record the store let go (its TTL ended) takes the task out of the index.
    await pair[1].delete(ns, `task:${ids[3]}`);
    const [fresh] = simulators(pair, [], 3);
    expect(await listed(fresh, ns)).toEqual([ids[2], ids[4]]);
    await expect.poll(() => pair[0].readIndex(ns, "tasks:freepik")).toEqual([ids[2], ids[4]]);
  });
});

describe("a task as the store keeps it", () => {
  it("comes back whole, bytes included, with its poll count kept apart", () => {
    const task = {
      id: "t1",
      provider: "fal",
      operation: "upscale",
      stages: [{ state: "IN_QUEUE", durationMs: 10 }],
      success: "COMPLETED",
      failure: "FAILED",
      fate: { kind: "success" },
      retentionMs: 1_000,
      data: { plan: { kind: "inline", input: new Uint8Array([0, 1, 254, 255]) }, note: { $bytes: 1 } },
      namespace: "default",
      createdAt: 5,
      polls: 3,
      lastState: "IN_QUEUE",
      history: [{ state: "IN_QUEUE", at: 5 }],
    } as Task;
    const json = encodeTask(task);
    expect(json).not.toContain('"polls"');
    expect(decodeTask(json, 7)).toEqual({ ...task, polls: 7 });
  });
});

describe("tasks without a store", () => {
  it("stay with the simulator that made them", async () => {
    const [a, b] = simulators(undefined);
    const id = await create(a, "default");
    expect((await send(b, "default", "GET", `${origin}/api/v1/ai/image-upscaler/${id}`)).status).toBe(404);
  });
});
