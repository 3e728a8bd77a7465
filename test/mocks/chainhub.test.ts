import { describe, expect, it } from "vitest";
import { chainhub } from "../../mocks/providers/chainhub/definition.ts";
import { dimensionsOf, makeImage, pngDeclaring } from "../../scripts/lib/images.ts";
import { useSimulators } from "../helpers/harness.ts";

const maxUploadBytes = 1024 * 1024;
const h = useSimulators({ definitions: [chainhub], limits: { maxUploadBytes } });
const endpoint = "https://api.chainhub.tech/ideogram/upscale";
const headers = { authorization: "Bearer ch-test-key", accept: "application/json" };

interface TaskData {
  task_id: string;
  task_status: string;
  task_status_msg?: string;
  created_at: number;
  updated_at: number;
  task_result?: { images: Array<{ url: string; resolution: string; upscaled_resolution: string }> };
}
interface Envelope<D = TaskData> {
  code: number;
  message: string;
  request_id: string;
  data: D;
}
interface ErrorEnvelope {
  code: number;
  message: string;
  request_id: string;
}

// The seed's image_request example, byte for byte.
const seedSettings =
  '{\r\n    "resemblance": 50,\r\n    "magic_prompt_option": "AUTO",\r\n    "prompt": "A%20serene%20tropical%20beach%20",\r\n    "seed": 12345,\r\n    "detail": 50\r\n}';

function form(settings: unknown, image?: Uint8Array): FormData {
  const body = new FormData();
  if (settings !== undefined)
    body.append("image_request", typeof settings === "string" ? settings : JSON.stringify(settings));
  if (image)
    body.append(
      "image_file",
      new Blob([image as Uint8Array<ArrayBuffer>], { type: "image/png" }),
      "flux.png",
    );
  return body;
}

function submit(body: FormData | string, extra: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(endpoint, {
    method: "POST",
    headers: { ...headers, ...extra },
    body,
    ...(signal ? { signal } : {}),
  });
}

async function query(taskId: string, extra: Record<string, string> = {}) {
  const response = await fetch(`${endpoint}/${taskId}`, { headers: { ...headers, ...extra } });
  return { response, body: (await response.json()) as Envelope };
}

async function submitTask(settings: unknown = {}, extra: Record<string, string> = {}): Promise<Envelope> {
  const response = await submit(form(settings, await makeImage(8, 8)), extra);
  expect(response.status).toBe(200);
  return (await response.json()) as Envelope;
}

async function pollUntilDone(taskId: string) {
  const seen: string[] = [];
  for (let i = 0; i < 500; i++) {
    const { body } = await query(taskId);
    if (seen.at(-1) !== body.data.task_status) seen.push(body.data.task_status);
    if (body.data.task_status === "succeed" || body.data.task_status === "failed")
      return { final: body.data, seen };
    await h.clock.sleep(1_000);
  }
  throw new Error("task did not finish");
}

describe("chainhub task mode (default)", () => {
  it("accepts the seed request and answers the documented envelope, timestamps in Unix ms", async () => {
    const started = h.clock.now();
    const response = await submit(form(seedSettings, await makeImage(40, 30)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as Envelope;
    expect(Object.keys(body).sort()).toEqual(["code", "data", "message", "request_id"]);
    expect(body).toMatchObject({ code: 0, message: "success" });
    expect(body.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.data).toEqual({
      task_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      task_status: "submitted",
      created_at: started,
      updated_at: started,
    });
  });

  it("walks submitted → processing → succeed and serves num_images real 2x images for 24 h", async () => {
    const started = h.clock.now();
    const { data } = await submitTask({ num_images: 2, prompt: "beach" });
    const { final, seen } = await pollUntilDone(data.task_id);
    expect(seen).toEqual(["submitted", "processing", "succeed"]);
    expect(final.created_at).toBe(started);
    expect(final.updated_at - started).toBeGreaterThanOrEqual(6_000);
    expect(final.updated_at - started).toBeLessThanOrEqual(23_000);
    expect(final.task_status_msg).toBeUndefined();
    const images = final.task_result!.images;
    expect(images).toHaveLength(2);
    expect(new Set(images.map((i) => i.url)).size).toBe(2);
    for (const image of images) {
      expect(image).toMatchObject({ resolution: "8x8", upscaled_resolution: "16x16" });
      expect(image.url).toMatch(/^https:\/\/cdn\.chainhub\.tech\/files\/ideogram\/[\w-]+\.png$/);
      const file = await fetch(image.url);
      expect(file.status).toBe(200);
      expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toEqual({
        width: 16,
        height: 16,
        format: "png",
      });
    }
    await h.clock.advance(24 * 3600_000 + 1_000);
    const expired = await fetch(images[0]!.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/expired/);
  });

  it("the task's updated_at follows its state changes", async () => {
    const { data } = await submitTask();
    let processingAt = 0;
    for (let i = 0; i < 100; i++) {
      const { body } = await query(data.task_id);
      if (body.data.task_status === "processing") {
        processingAt = body.data.updated_at;
        break;
      }
      await h.clock.sleep(500);
    }
    expect(processingAt).toBeGreaterThanOrEqual(data.created_at + 1_000);
    expect(processingAt).toBeLessThanOrEqual(data.created_at + 3_000);
  });

  it('a prompt with the word "unsafe" ends failed with the safety message', async () => {
    const { data } = await submitTask({ prompt: "unsafe content" });
    const { final, seen } = await pollUntilDone(data.task_id);
    expect(seen).toEqual(["submitted", "processing", "failed"]);
    expect(final.task_status_msg).toBe("Prompt or initial image failed safety check.");
    expect(final.task_result).toBeUndefined();
  });

  it("unknown task ids answer 404 with code 1203", async () => {
    const { response, body } = await query("9b2e4f71-5c3a-4d8e-a1f6-7e0c2d9b4a58");
    expect(response.status).toBe(404);
    expect(body).toMatchObject({ code: 1203, message: expect.stringMatching(/Task not found/) });
  });
});

describe("chainhub pass-through mode", () => {
  it("x-mock-chainhub-mode: passthrough answers the seed with Ideogram's sync body (seed 001)", async () => {
    const started = h.clock.now();
    const response = await submit(form(seedSettings, await makeImage(32, 32)), {
      "x-mock-chainhub-mode": "passthrough",
    });
    expect(response.status).toBe(200);
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(5_000);
    const body = (await response.json()) as { created: string; data: Array<Record<string, unknown>> };
    expect(Object.keys(body).sort()).toEqual(["created", "data"]);
    expect(new Date(body.created).getTime()).toBe(started);
    expect(body.data).toEqual([
      {
        url: expect.stringMatching(/^https:\/\/cdn\.chainhub\.tech\/files\/ideogram\//),
        prompt: "A%20serene%20tropical%20beach%20",
        resolution: "32x32",
        upscaled_resolution: "64x64",
        is_image_safe: true,
        seed: 12345,
      },
    ]);
    const file = await fetch(body.data[0]!.url as string);
    expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toEqual({
      width: 64,
      height: 64,
      format: "png",
    });
  });

  it("the namespace setting chainhub.mode selects pass-through; the header overrides it", async () => {
    const ns = h.simulator.namespace();
    ns.settings.set("chainhub.mode", "passthrough");
    try {
      const sync = (await (
        await submit(form({ prompt: "an unsafe thing" }, await makeImage(8, 8)))
      ).json()) as {
        data: Array<{ is_image_safe: boolean; url: string | null }>;
      };
      expect(sync.data).toEqual([expect.objectContaining({ is_image_safe: false, url: null })]);
      const task = (await (
        await submit(form({}, await makeImage(8, 8)), { "x-mock-chainhub-mode": "task" })
      ).json()) as Envelope;
      expect(task.data.task_status).toBe("submitted");
    } finally {
      ns.settings.delete("chainhub.mode");
    }
  });

  it("an unknown mode is a 400 envelope naming the choices", async () => {
    const response = await submit(form({}, await makeImage(8, 8)), { "x-mock-chainhub-mode": "sync" });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorEnvelope).message).toMatch(/"task" or "passthrough"/);
  });
});

describe("chainhub bad input gets chainhub's envelope", () => {
  async function expectEnvelope(response: Response, status: number, code: number, pattern: RegExp) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as ErrorEnvelope;
    expect(Object.keys(body).sort()).toEqual(["code", "message", "request_id"]);
    expect(body.code).toBe(code);
    expect(body.message).toMatch(pattern);
  }

  it("missing Authorization, or not Bearer → 401 code 1000", async () => {
    const body = () => form({}, new Uint8Array(8));
    await expectEnvelope(
      await fetch(endpoint, { method: "POST", headers: { accept: "application/json" }, body: body() }),
      401,
      1000,
      /missing Authorization/,
    );
    await expectEnvelope(
      await fetch(endpoint, {
        method: "POST",
        headers: { accept: "application/json", "api-key": "k" },
        body: body(),
      }),
      401,
      1000,
      /missing Authorization/,
    );
    await expectEnvelope(
      await fetch(endpoint, {
        method: "POST",
        headers: { accept: "application/json", authorization: "Key k" },
        body: body(),
      }),
      401,
      1000,
      /must be Bearer/,
    );
  });

  it("no Accept: application/json → 400 code 1200, on submit and on query", async () => {
    const image = await makeImage(8, 8);
    await expectEnvelope(await submit(form({}, image), { accept: "*/*" }), 400, 1200, /Accept/);
    const { data } = await submitTask();
    const response = await fetch(`${endpoint}/${data.task_id}`, {
      headers: { authorization: headers.authorization },
    });
    await expectEnvelope(response, 400, 1200, /Accept/);
  });

  it.each([
    ["a JSON body instead of multipart", () => JSON.stringify({ prompt: "x" }), /multipart\/form-data/],
    ["no image_request part", async () => form(undefined, await makeImage(8, 8)), /image_request/],
    ["image_request that is not JSON", async () => form("{oops", await makeImage(8, 8)), /not valid JSON/],
    ["detail 0", async () => form({ detail: 0 }, await makeImage(8, 8)), /detail/],
    ["seed over 2147483647", async () => form({ seed: 2_147_483_648 }, await makeImage(8, 8)), /seed/],
    ["no image_file part", () => form({}), /image_file/],
    [
      "bytes that are not an image",
      () => form({}, new TextEncoder().encode("%PDF-1.7")),
      /JPEG, PNG or WebP/,
    ],
    [
      "a truncated PNG",
      async () => form({}, (await makeImage(64, 64)).slice(0, 60)),
      /could not be read|no dimensions/,
    ],
    ["a decompression bomb", () => form({}, pngDeclaring(100_000, 100_000)), /pixels/],
    ["an upload over limits.maxUploadBytes", () => form({}, new Uint8Array(maxUploadBytes + 1)), /too large/],
  ])("%s → 400 code 1200", async (_label, build, pattern) => {
    const body = await build();
    await expectEnvelope(
      await submit(body, typeof body === "string" ? { "content-type": "application/json" } : {}),
      400,
      1200,
      pattern,
    );
  });

  it("keeps answering after bad input", async () => {
    await submit("garbage", { "content-type": "multipart/form-data; boundary=x" });
    expect((await submitTask()).code).toBe(0);
  });

  it("unknown paths answer the 404 envelope", async () => {
    await expectEnvelope(
      await fetch("https://api.chainhub.tech/kling/v1/nothing", { headers }),
      404,
      1203,
      /Not found/,
    );
  });
});

describe("chainhub scenarios", () => {
  const image = () => makeImage(8, 8);

  it("healthy answers normally", async () => {
    expect((await submit(form({}, await image()), { "x-mock-scenario": "healthy" })).status).toBe(200);
  });

  it.each([
    ["outage", 503, 5001, "Service temporarily unavailable, please retry later"],
    ["auth-failure", 401, 1000, "Authentication failed: invalid API key"],
    ["no-credit", 402, 1101, "Insufficient account balance. Top up your chainhub account and retry."],
  ])("%s → %i with code %i", async (preset, status, code, message) => {
    const response = await submit(form({}, await image()), { "x-mock-scenario": preset });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual({ code, message, request_id: expect.any(String) });
  });

  it("outage also refuses task queries with 503", async () => {
    const { data } = await submitTask();
    const { response, body } = await query(data.task_id, { "x-mock-scenario": "outage" });
    expect(response.status).toBe(503);
    expect(body.code).toBe(5001);
  });

  it("rate-limited answers 429 code 1302 with Retry-After twice, then accepts", async () => {
    h.simulator.setScenario("default", "chainhub", "rate-limited");
    for (let i = 0; i < 2; i++) {
      const response = await submit(form({}, await image()));
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("2");
      expect(((await response.json()) as ErrorEnvelope).code).toBe(1302);
    }
    expect((await submit(form({}, await image()))).status).toBe(200);
  });

  it("task-failure: the task ends failed with task_status_msg; pass-through answers 400 code 1301", async () => {
    const { data } = await submitTask({}, { "x-mock-scenario": "task-failure" });
    const { final, seen } = await pollUntilDone(data.task_id);
    expect(seen).toEqual(["submitted", "processing", "failed"]);
    expect(final.task_status_msg).toBe("Prompt or initial image failed safety check.");
    const sync = await submit(form({}, await image()), {
      "x-mock-scenario": "task-failure",
      "x-mock-chainhub-mode": "passthrough",
    });
    expect(sync.status).toBe(400);
    expect(((await sync.json()) as ErrorEnvelope).code).toBe(1301);
  });

  it("stuck leaves the task submitted however long one waits", async () => {
    const { data } = await submitTask({}, { "x-mock-scenario": "stuck" });
    await h.clock.advance(60 * 60 * 1000);
    expect((await query(data.task_id)).body.data.task_status).toBe("submitted");
  });

  it("malformed answers 200 with a body that breaks the schema", async () => {
    h.violations.length = 0;
    const response = await submit(form({}, await image()), { "x-mock-scenario": "malformed" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ code: null, message: null, request_id: null, data: null });
    expect(h.violations.length).toBeGreaterThan(0);
    h.violations.length = 0;
  });

  it("flaky fails some requests with 503 and lets the rest through", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++)
      statuses.push((await submit(form({}, await image()), { "x-mock-scenario": "flaky" })).status);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
  });

  it("timeout never answers: the caller's timeout fires", async () => {
    await expect(
      submit(form({}, await image()), { "x-mock-scenario": "timeout" }, AbortSignal.timeout(300)),
    ).rejects.toThrow(/aborted|timeout/i);
  });

  it("reset drops the first attempt's connection, then recovers", async () => {
    h.simulator.setScenario("default", "chainhub", "reset");
    await expect(submit(form({}, await image()))).rejects.toThrow();
    expect((await submit(form({}, await image()))).status).toBe(200);
  });

  it("slow adds latency on the clock", async () => {
    const before = h.clock.now();
    await submit(form({}, await image()), { "x-mock-scenario": "slow" });
    expect(h.clock.now()).toBeGreaterThan(before);
    expect(h.simulator.namespace().journal.list({ provider: "chainhub" })[0]?.faults).toContain("latency");
  });

  it("expired-urls makes result links answer 403", async () => {
    const { data } = await submitTask();
    const { final } = await pollUntilDone(data.task_id);
    const url = final.task_result!.images[0]!.url;
    const response = await fetch(url, { headers: { "x-mock-scenario": "expired-urls" } });
    expect(response.status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it("webhook-chaos does not apply (no callbacks): tasks run normally", async () => {
    const { data } = await submitTask({}, { "x-mock-scenario": "webhook-chaos" });
    expect((await pollUntilDone(data.task_id)).final.task_status).toBe("succeed");
  });

  it("every answer was checked against specs/chainhub.yaml", () => {
    expect(h.checked.count).toBeGreaterThan(30);
  });
});
