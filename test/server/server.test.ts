import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { dimensionsOf, makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";

let server: MockServer;
const key = { "x-freepik-api-key": "k", "content-type": "application/json" };

beforeAll(async () => {
  server = await startMockServer({
    port: 0,
    clock: new VirtualClock({ start: Date.UTC(2026, 5, 1) }),
    latency: "none",
    ports: [{ provider: "freepik", port: 0 }],
  });
});
afterAll(async () => {
  await server.close();
});

async function submit(base: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { ...key, ...headers },
    body: JSON.stringify({ image: toBase64(await makeImage(20, 10)), scale_factor: "2x" }),
  });
  return {
    response,
    body: (await response.json()) as { data: { task_id: string; status: string; generated: string[] } },
  };
}

/** Admin writes are JSON, declared as such (the server refuses other bodies). */
const json = { "content-type": "application/json" };
const admin = (path: string, init?: RequestInit) =>
  fetch(`${server.url}/__admin/${path}`, { ...init, ...(init?.body ? { headers: json } : {}) }).then((r) =>
    r.json(),
  );

describe("standalone server", () => {
  it("serves a provider under its prefix, with result URLs pointing back at the server", async () => {
    const { body } = await submit(server.urls["freepik.api"]!);
    expect(body.data.status).toBe("IN_PROGRESS");
    let status = "";
    let generated: string[] = [];
    // latency none: every poll shows the next state.
    for (let i = 0; i < 5 && status !== "COMPLETED"; i++) {
      const poll = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler/${body.data.task_id}`, {
        headers: key,
      });
      ({ status, generated } = (
        (await poll.json()) as { data: { status: string; generated: string[] } }
      ).data);
    }
    expect(status).toBe("COMPLETED");
    expect(generated[0]!.startsWith(`${server.url}/freepik/cdn/`)).toBe(true);
    const image = await fetch(generated[0]!);
    expect(await dimensionsOf(new Uint8Array(await image.arrayBuffer()))).toMatchObject({
      width: 40,
      height: 20,
    });
  });

  it("serves the real paths at the root of a provider's own port", async () => {
    const own = server.providerPorts[0]!.url;
    const { response, body } = await submit(own);
    expect(response.status).toBe(200);
    const poll = await fetch(`${own}/v1/ai/image-upscaler/${body.data.task_id}`, { headers: key });
    expect(poll.status).toBe(200);
  });

  it("isolates namespaces given by header or path", async () => {
    const { body } = await submit(server.urls["freepik.api"]!, { "x-mock-namespace": "team-a" });
    const other = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler/${body.data.task_id}`, {
      headers: { ...key, "x-mock-namespace": "team-b" },
    });
    expect(other.status).toBe(404);
    const viaPath = await fetch(`${server.url}/~team-a/freepik/v1/ai/image-upscaler/${body.data.task_id}`, {
      headers: key,
    });
    expect(viaPath.status).toBe(200);
  });

  it("admin API: scenarios switch a provider to outage and back", async () => {
    await admin("scenarios", {
      method: "PUT",
      body: JSON.stringify({ provider: "freepik", scenario: "outage" }),
    });
    expect((await submit(server.urls["freepik.api"]!)).response.status).toBe(503);
    expect(await admin("scenarios")).toMatchObject({ scenarios: { freepik: "outage" } });
    await admin("scenarios?provider=freepik", { method: "DELETE" });
    expect((await submit(server.urls["freepik.api"]!)).response.status).toBe(200);
    const bad = await fetch(`${server.url}/__admin/scenarios`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ provider: "freepik", scenario: "nope" }),
    });
    expect(bad.status).toBe(400);
  });

  it("admin API: journal, tasks, forcing a state, clock and reset", async () => {
    await admin("reset", { method: "POST", body: "{}" });
    const { body } = await submit(server.urls["freepik.api"]!);
    const journal = (await admin("journal?provider=freepik")) as {
      entries: Array<{ operation: string; headers: Record<string, string> }>;
    };
    expect(journal.entries.map((e) => e.operation)).toEqual(["createUpscale"]);
    expect(journal.entries[0]!.headers["x-freepik-api-key"]).toMatch(/^fp:[0-9a-f]{8}$/);
    const tasks = (await admin("tasks")) as { tasks: Array<{ id: string; state: string }> };
    expect(tasks.tasks.map((t) => t.id)).toEqual([body.data.task_id]);
    const forced = await admin(`tasks/${body.data.task_id}/state`, {
      method: "POST",
      body: JSON.stringify({ state: "FAILED" }),
    });
    expect(forced).toMatchObject({ state: "FAILED", terminal: true });
    const poll = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler/${body.data.task_id}`, {
      headers: key,
    });
    expect(((await poll.json()) as { data: { status: string } }).data.status).toBe("FAILED");
    const before = (await admin("clock")) as { now: string; mode: string };
    expect(before.mode).toBe("virtual");
    const after = (await admin("clock/advance", {
      method: "POST",
      body: JSON.stringify({ ms: 60_000 }),
    })) as { now: string };
    expect(Date.parse(after.now) - Date.parse(before.now)).toBe(60_000);
    expect(await admin("health")).toMatchObject({
      status: "ok",
      providers: expect.arrayContaining(["freepik"]),
    });
  });

  it("admin API: a forced state takes the task's own numeric fields from the body, nothing else", async () => {
    const falKey = { authorization: "Key test-key-id:test-key-secret", "content-type": "application/json" };
    const submitted = await fetch(`${server.url}/fal/queue/fal-ai/ideogram/upscale`, {
      method: "POST",
      headers: falKey,
      body: JSON.stringify({ image_url: `data:image/png;base64,${toBase64(await makeImage(20, 10))}` }),
    });
    expect(submitted.status).toBe(200);
    const { request_id, status_url } = (await submitted.json()) as { request_id: string; status_url: string };
    const force = (fields: Record<string, unknown>) =>
      admin(`tasks/${request_id}/state`, {
        method: "POST",
        body: JSON.stringify({ state: "IN_QUEUE", ...fields }),
      });
    const position = async () =>
      ((await fetch(status_url, { headers: falKey }).then((r) => r.json())) as { queue_position?: number })
        .queue_position;
    expect(await force({ queuePosition: 7 })).toMatchObject({ state: "IN_QUEUE", terminal: false });
    expect(await position()).toBe(7);
    await force({ queuePosition: 2.5, userId: "someone-else" });
    await force({ queuePosition: "3", polls: 9 });
    expect(await position()).toBe(7);
    const task = server.simulator.namespace().tasks.get<Record<string, unknown>>(request_id)!;
    expect(task.data.userId).not.toBe("someone-else");
    expect(task.data).not.toHaveProperty("polls");
  });

  it("adds the CORS headers to provider answers, without touching the answer's own", async () => {
    const { response, body } = await submit(server.urls["freepik.api"]!);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-expose-headers")).toContain("retry-after");
    expect(response.headers.get("content-type")).toContain("application/json");
    expect(Number(response.headers.get("content-length"))).toBe(JSON.stringify(body).length);
  });

  it("trickles a slow body on the namespace's clock, with the CORS headers", async () => {
    const slow = await startMockServer({
      port: 0,
      clock: new VirtualClock({ start: Date.UTC(2026, 5, 1), autoAdvance: true }),
      latency: "none",
      scenarios: { freepik: [{ phases: ["status"], fault: { kind: "slow-body", bytesPerSecond: 200 } }] },
    });
    try {
      const { body } = await submit(slow.urls["freepik.api"]!, { "x-mock-namespace": "slow" });
      const poll = await fetch(`${slow.urls["freepik.api"]}/v1/ai/image-upscaler/${body.data.task_id}`, {
        headers: { ...key, "x-mock-namespace": "slow" },
      });
      expect(poll.headers.get("access-control-allow-origin")).toBe("*");
      const text = await poll.text();
      expect(Number(poll.headers.get("content-length"))).toBe(text.length);
      expect(JSON.parse(text)).toMatchObject({ data: { task_id: body.data.task_id } });
      const journal = (await fetch(`${slow.url}/__admin/journal?namespace=slow`).then((r) => r.json())) as {
        entries: Array<{ faults: string[] }>;
      };
      expect(journal.entries.at(-1)!.faults).toContain("slow-body");
    } finally {
      await slow.close();
    }
  });

  it("answers unknown paths with a message naming where providers live", async () => {
    const response = await fetch(`${server.url}/nowhere`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(/\/freepik/);
  });

  it("serves the dashboard page", async () => {
    const response = await fetch(`${server.url}/__admin/ui`);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("upscale-harness simulators");
  });

  it("refuses to bind beyond loopback without an admin token", async () => {
    await expect(startMockServer({ port: 0, hostname: "0.0.0.0" })).rejects.toThrow(/admin-token/);
  });
});
