import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freepik } from "../../mocks/providers/freepik/definition.ts";
import { freepikSignature } from "../../mocks/providers/freepik/signature.ts";
import { dimensionsOf, makeImage, pngDeclaring, toBase64 } from "../../scripts/lib/images.ts";
import { useSimulators } from "../helpers/harness.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

const h = useSimulators({ definitions: [freepik], webhookSecret: "test-secret" });
const api = "https://api.freepik.com/v1/ai";
const key = { "x-freepik-api-key": "fpk-test" };

function submit(body: unknown, headers: Record<string, string> = {}, path = "/image-upscaler") {
  return fetch(`${api}${path}`, {
    method: "POST",
    headers: { ...key, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function status(taskId: string, path = "/image-upscaler") {
  const response = await fetch(`${api}${path}/${taskId}`, { headers: key });
  return {
    response,
    body: (await response.json()) as { data: { task_id: string; status: string; generated: string[] } },
  };
}

async function pollUntilDone(taskId: string, path = "/image-upscaler", intervalMs = 3_000) {
  const seen: string[] = [];
  for (let i = 0; i < 1_000; i++) {
    const { body } = await status(taskId, path);
    if (seen.at(-1) !== body.data.status) seen.push(body.data.status);
    if (body.data.status === "COMPLETED" || body.data.status === "FAILED") return { final: body.data, seen };
    await h.clock.sleep(intervalMs);
  }
  throw new Error("task did not finish");
}

describe("freepik creative upscaler", () => {
  it("answers IN_PROGRESS at submit, as documented, then COMPLETED with a real 4x image", async () => {
    const image = await makeImage(40, 30, "jpeg");
    const response = await submit({ image: toBase64(image), scale_factor: "4x", prompt: "a gradient" });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { task_id: string; status: string; generated: string[] };
    };
    expect(data).toMatchObject({ status: "IN_PROGRESS", generated: [] });
    expect(data.task_id).toMatch(/^[0-9a-f-]{36}$/);

    const { final, seen } = await pollUntilDone(data.task_id);
    expect(seen).toEqual(["IN_PROGRESS", "COMPLETED"]);
    expect(final.generated).toHaveLength(1);
    const file = await fetch(final.generated[0]!);
    expect(file.status).toBe(200);
    expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toEqual({
      width: 160,
      height: 120,
      format: "jpeg",
    });
  });

  it("keeps the input beside its output with the input's own content type", async () => {
    const response = await submit({ image: toBase64(await makeImage(20, 20, "jpeg")), scale_factor: "2x" });
    const { data } = (await response.json()) as { data: { task_id: string } };
    const { final } = await pollUntilDone(data.task_id);
    const outputId = /\/([^/]+)\.png$/.exec(final.generated[0]!)![1]!;
    const { files } = h.simulator.services;
    const output = files.get(outputId)!;
    expect(output.contentType).toBe("image/jpeg");
    expect(files.get(output.sourceId!)?.contentType).toBe("image/jpeg");
  });

  it("takes minutes of provider time for 16x, settled on the virtual clock", async () => {
    const started = h.clock.now();
    const response = await submit({ image: toBase64(await makeImage(32, 32)), scale_factor: "16x" });
    const { data } = (await response.json()) as { data: { task_id: string } };
    const { final } = await pollUntilDone(data.task_id);
    expect(final.status).toBe("COMPLETED");
    expect(h.clock.now() - started).toBeGreaterThan(60_000);
    const file = await fetch(final.generated[0]!);
    expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toMatchObject({
      width: 512,
      height: 512,
    });
  });

  it("accepts the documented all-params request on api.magnific.com with x-magnific-api-key", async () => {
    const response = await fetch("https://api.magnific.com/v1/ai/image-upscaler", {
      method: "POST",
      headers: { "x-magnific-api-key": "mg-key", "content-type": "application/json" },
      body: JSON.stringify({
        image: toBase64(await makeImage(30, 30)),
        scale_factor: "2x",
        optimized_for: "standard",
        prompt: "Crazy dog in the space",
        creativity: 2,
        hdr: 1,
        resemblance: 0,
        fractality: -1,
        engine: "magnific_sparkle",
      }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { status: string } }).data.status).toBe("IN_PROGRESS");
  });

  it("lists tasks of its own kind only", async () => {
    const a = (await (await submit({ image: toBase64(await makeImage()) })).json()) as {
      data: { task_id: string };
    };
    await submit({ image: toBase64(await makeImage()) }, {}, "/image-upscaler-precision");
    const list = (await (await fetch(`${api}/image-upscaler`, { headers: key })).json()) as {
      data: Array<{ task_id: string }>;
    };
    expect(list.data.map((t) => t.task_id)).toEqual([a.data.task_id]);
  });
});

describe("freepik precision upscalers", () => {
  it("precision v1 doubles the image", async () => {
    const response = await submit(
      { image: toBase64(await makeImage(20, 10, "webp")), sharpen: 60 },
      {},
      "/image-upscaler-precision",
    );
    const { data } = (await response.json()) as { data: { task_id: string } };
    const { final } = await pollUntilDone(data.task_id, "/image-upscaler-precision");
    const file = await fetch(final.generated[0]!);
    expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toEqual({
      width: 40,
      height: 20,
      format: "webp",
    });
  });

  it("precision v2 takes an URL the simulator serves and an integer factor", async () => {
    const first = (await (await submit({ image: toBase64(await makeImage(10, 10)) })).json()) as {
      data: { task_id: string };
    };
    const done = await pollUntilDone(first.data.task_id);
    const response = await submit(
      { image: done.final.generated[0], scale_factor: 3, flavor: "photo" },
      {},
      "/image-upscaler-precision-v2",
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { task_id: string } };
    const { final } = await pollUntilDone(data.task_id, "/image-upscaler-precision-v2");
    const file = await fetch(final.generated[0]!);
    expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toMatchObject({
      width: 60,
      height: 60,
    });
  });

  it("a task from one endpoint is unknown to another", async () => {
    const { data } = (await (await submit({ image: toBase64(await makeImage()) })).json()) as {
      data: { task_id: string };
    };
    const { response } = await status(data.task_id, "/image-upscaler-precision");
    expect(response.status).toBe(404);
  });
});

describe("freepik bad input gets Freepik's own 4xx", () => {
  it("missing key → 401 Missing API key", async () => {
    const response = await fetch(`${api}/image-upscaler`, { method: "POST", body: "{}" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: "Missing API key" });
  });

  it("a URL where base64 is expected names the fix", async () => {
    const response = await submit({ image: "https://example.test/photo.png" });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const body = (await response.json()) as { invalid_params: Array<{ name: string; reason: string }> };
    expect(body.invalid_params[0]).toMatchObject({ name: "image" });
    expect(body.invalid_params[0]!.reason).toMatch(/base64/);
  });

  it.each([
    ["invalid JSON", "{not json", 400],
    ["missing image", { scale_factor: "2x" }, 400],
    ["out-of-range creativity", { image: "aGVsbG8=", creativity: 11 }, 400],
    ["unknown scale", { image: "aGVsbG8=", scale_factor: "3x" }, 400],
    ["invalid base64", { image: "%%%not-base64%%%" }, 400],
    ["bytes that are not an image", { image: toBase64(new TextEncoder().encode("GIF89a not really")) }, 400],
  ])("%s → 400", async (_label, body, expected) => {
    const response = await submit(body);
    expect(response.status).toBe(expected);
    expect(((await response.json()) as { message: string }).message).toBeTruthy();
  });

  it("a truncated PNG is refused at submit", async () => {
    const image = await makeImage(64, 64);
    const response = await submit({ image: toBase64(image.slice(0, 40)) });
    expect(response.status).toBe(400);
  });

  it("a tiny PNG declaring 50k×50k pixels is refused before decoding", async () => {
    const response = await submit({ image: toBase64(pngDeclaring(50_000, 50_000)) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { invalid_params: Array<{ reason: string }> };
    expect(body.invalid_params[0]!.reason).toMatch(/pixels/);
  });

  it("an output over 25.3 million pixels is refused with the limit named", async () => {
    const response = await submit({ image: toBase64(await makeImage(400, 300)), scale_factor: "16x" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/25\.3 million pixels/);
    // The simulator keeps answering.
    expect((await submit({ image: toBase64(await makeImage(8, 8)) })).status).toBe(200);
  });

  it("unknown and malformed task ids", async () => {
    expect((await status("00000000-0000-4000-8000-000000000000")).response.status).toBe(404);
    const malformed = await fetch(`${api}/image-upscaler/not-a-uuid`, { headers: key });
    expect(malformed.status).toBe(400);
  });
});

describe("freepik scenarios", () => {
  const image = () => makeImage(16, 16).then(toBase64);

  it.each([
    ["outage", 503, { message: "Service Unavailable. Please try again later." }],
    ["auth-failure", 401, { message: "Invalid API key" }],
  ])("%s → %i with Freepik's body", async (preset, code, body) => {
    const response = await submit({ image: await image() }, { "x-mock-scenario": preset });
    expect(response.status).toBe(code);
    expect(await response.json()).toEqual(body);
  });

  it("rate-limited answers 429 with Retry-After twice, then accepts", async () => {
    h.simulator.setScenario("default", "freepik", "rate-limited");
    const first = await submit({ image: await image() });
    expect(first.status).toBe(429);
    expect(first.headers.get("retry-after")).toBe("2");
    expect((await submit({ image: await image() })).status).toBe(429);
    expect((await submit({ image: await image() })).status).toBe(200);
  });

  it("task-failure ends in FAILED with nothing generated", async () => {
    const { data } = (await (
      await submit({ image: await image() }, { "x-mock-scenario": "task-failure" })
    ).json()) as {
      data: { task_id: string };
    };
    const { final, seen } = await pollUntilDone(data.task_id);
    expect(seen.at(-1)).toBe("FAILED");
    expect(final.generated).toEqual([]);
  });

  it.each([
    ["stuck", "IN_PROGRESS"],
    // Out of credit: the task is accepted but never starts, as users report.
    ["no-credit", "CREATED"],
  ])("%s leaves the task at %s however long one waits", async (preset, state) => {
    const { data } = (await (
      await submit({ image: await image() }, { "x-mock-scenario": preset })
    ).json()) as {
      data: { task_id: string; status: string };
    };
    expect(data.status).toBe(state);
    await h.clock.advance(60 * 60 * 1000);
    expect((await status(data.task_id)).body.data.status).toBe(state);
  });

  it("malformed answers 200 with a body that breaks the schema", async () => {
    h.violations.length = 0;
    const response = await submit({ image: await image() }, { "x-mock-scenario": "malformed" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: null });
    // The conformance check sees it too; clear it, since this break is what was asked for.
    expect(h.violations.length).toBeGreaterThan(0);
    h.violations.length = 0;
  });

  it("flaky fails some requests with 503 and lets the rest through, reproducibly", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push((await submit({ image: await image() }, { "x-mock-scenario": "flaky" })).status);
    expect(statuses).toContain(503);
    expect(statuses).toContain(200);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
  });

  it("timeout hangs until the caller gives up", async () => {
    const pending = submit({ image: await image() }, { "x-mock-scenario": "timeout" });
    await expect(
      Promise.race([pending, new Promise((r) => setTimeout(() => r("still waiting"), 200))]),
    ).resolves.toBe("still waiting");
  });

  it("reset drops the first attempt's connection", async () => {
    h.simulator.setScenario("default", "freepik", "reset");
    await expect(submit({ image: await image() })).rejects.toThrow();
    expect((await submit({ image: await image() })).status).toBe(200);
  });

  it("slow adds provider latency on the clock", async () => {
    const before = h.clock.now();
    await submit({ image: await image() }, { "x-mock-scenario": "slow" });
    expect(h.clock.now() - before).toBeGreaterThan(100);
  });

  it("expired-urls makes result links answer 403", async () => {
    const { data } = (await (await submit({ image: await image() })).json()) as { data: { task_id: string } };
    const { final } = await pollUntilDone(data.task_id);
    h.simulator.setScenario("default", "freepik", "expired-urls");
    expect((await fetch(final.generated[0]!)).status).toBe(403);
  });

  it("unknown preset names are refused, not ignored", async () => {
    const response = await submit({ image: await image() }, { "x-mock-scenario": "nonsense" });
    expect(response.status).toBe(400);
  });
});

describe("freepik webhooks", () => {
  let receiver: Receiver;
  let received: Receiver["received"] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    received = receiver.received;
  });
  afterAll(() => receiver.close());

  it("sends a signed task object at each status change", async () => {
    received.length = 0;
    const response = await submit({
      image: toBase64(await makeImage(12, 12)),
      webhook_url: `${receiver.url}/hook`,
    });
    const { data } = (await response.json()) as { data: { task_id: string } };
    // Wall time passes too: on a shared store, the due queue looks at tasks each wall second.
    for (let i = 0; i < 200 && received.length < 1; i++) {
      await h.clock.sleep(5_000);
      await new Promise((r) => setTimeout(r, 15));
    }
    await new Promise((r) => setTimeout(r, 50));
    // The submit already said IN_PROGRESS: the one change left to announce is the end.
    expect(received.map((r) => (JSON.parse(r.body) as { status: string }).status)).toEqual(["COMPLETED"]);
    for (const { headers, body } of received) {
      const payload = JSON.parse(body) as { task_id: string; generated: string[] };
      expect(payload.task_id).toBe(data.task_id);
      expect(body).not.toContain('"data"');
      const id = String(headers["webhook-id"]);
      const timestamp = Number(headers["webhook-timestamp"]);
      expect(headers["webhook-signature"]).toBe(freepikSignature("test-secret", id, timestamp, body));
    }
    const deliveries = h.simulator.namespace().webhooks.list({ taskId: data.task_id });
    for (let i = 0; i < 100 && deliveries.some((d) => d.state === "pending"); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(deliveries.map((d) => d.state)).toEqual(["delivered"]);
  });

  it("never contacts a target outside loopback; the delivery is recorded as refused", async () => {
    const response = await submit({
      image: toBase64(await makeImage(12, 12)),
      webhook_url: "https://receiver.invalid/hook",
    });
    const { data } = (await response.json()) as { data: { task_id: string } };
    await pollUntilDone(data.task_id);
    // On a shared store the state's notification is claimed there first, just after the poll.
    const deliveries = () => h.simulator.namespace().webhooks.list({ taskId: data.task_id });
    await expect.poll(() => deliveries().length).toBeGreaterThan(0);
    expect(deliveries().every((d) => d.state === "refused" && d.attempts.length === 0)).toBe(true);
  });
});
