import { describe, expect, it } from "vitest";
import { fal } from "../../mocks/providers/fal/definition.ts";
import { dimensionsOf, makeImage, pngDeclaring, toBase64 } from "../../scripts/lib/images.ts";
import {
  CompletedStatus,
  type QueueStatus,
  QueueSubmitResponse,
  StorageInitiateResponse,
  UpscaleOutput,
  ValidationErrorResponse,
} from "../../src/providers/fal/schemas.ts";
import { useSimulators } from "../helpers/harness.ts";

// Remote image URLs are refused here, so the tests of fal's download errors see them (stand-ins:
// test/mocks/remote-inputs.test.ts).
const h = useSimulators({ definitions: [fal], remoteImages: "refuse" });
const key = { authorization: "Key test-key-id:test-key-secret" };
const runUrl = "https://fal.run/fal-ai/ideogram/upscale";
const queue = "https://queue.fal.run/fal-ai/ideogram";
const dataUri = (data: Uint8Array, type = "image/png") => `data:${type};base64,${toBase64(data)}`;

function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, {
    method: "POST",
    headers: { ...key, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

async function upload(data: Uint8Array, contentType = "image/png", fileName = "input.png") {
  const init = await post("https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3", {
    content_type: contentType,
    file_name: fileName,
  });
  expect(init.status).toBe(200);
  const urls = StorageInitiateResponse.parse(await init.json());
  const put = await fetch(urls.upload_url, {
    method: "PUT",
    headers: { "content-type": contentType },
    body: data as Uint8Array<ArrayBuffer>,
  });
  expect(put.status).toBe(200);
  return urls;
}

async function submit(body: unknown, headers: Record<string, string> = {}, query = "") {
  const response = await post(`${queue}/upscale${query}`, body, headers);
  expect(response.status).toBe(200);
  return QueueSubmitResponse.parse(await response.json());
}

async function status(url: string, logs = false): Promise<QueueStatus> {
  const response = await fetch(`${url}${logs ? "?logs=1" : ""}`, { headers: key });
  expect(response.status).toBe(200);
  return (await response.json()) as QueueStatus;
}

async function pollToCompletion(statusUrl: string, logs = false) {
  const seen: QueueStatus[] = [];
  for (let i = 0; i < 500; i++) {
    const current = await status(statusUrl, logs);
    seen.push(current);
    if (current.status === "COMPLETED") return { final: CompletedStatus.parse(current), seen };
    await h.clock.sleep(500);
  }
  throw new Error("the run did not complete");
}

async function download(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return dimensionsOf(new Uint8Array(await response.arrayBuffer()));
}

function decodeDataUri(uri: string) {
  const match = /^data:(image\/[a-z]+);base64,(.+)$/.exec(uri);
  expect(match).not.toBeNull();
  return { type: match![1]!, data: new Uint8Array(Buffer.from(match![2]!, "base64")) };
}

async function expect422(response: Response, type: string) {
  expect(response.status).toBe(422);
  expect(response.headers.get("x-fal-retryable")).toBe("false");
  const body = ValidationErrorResponse.parse(await response.json());
  expect(body.detail[0]!.type).toBe(type);
  return body.detail[0]!;
}

const distinct = <T>(items: T[]) => items.filter((item, i) => i === 0 || items[i - 1] !== item);

describe("fal sync run (fal.run)", () => {
  it("upscales a data-URI image 2x onto the CDN after 5–20 s of provider time", async () => {
    const started = h.clock.now();
    const response = await post(runUrl, { image_url: dataUri(await makeImage(40, 30)) });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-fal-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const output = UpscaleOutput.parse(await response.json());
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(5_000);
    expect(h.clock.now() - started).toBeLessThanOrEqual(22_000);
    expect(Number.isInteger(output.seed)).toBe(true);
    const [file] = output.images;
    expect(file).toMatchObject({ content_type: "image/png", file_name: "image.png", width: 80, height: 60 });
    expect(file!.url).toMatch(/^https:\/\/v3\.fal\.media\/files\/[a-z]+\/[\w-]+_image\.png$/);
    const fetched = await fetch(file!.url);
    const bytes = new Uint8Array(await fetched.arrayBuffer());
    expect(bytes.byteLength).toBe(file!.file_size);
    expect(await dimensionsOf(bytes)).toEqual({ width: 80, height: 60, format: "png" });
  });

  it("sync_mode returns a data: URI that decodes to the right dimensions and format", async () => {
    const response = await post(runUrl, {
      image_url: dataUri(await makeImage(24, 18, "jpeg"), "image/jpeg"),
      sync_mode: true,
      seed: 1234,
    });
    expect(response.status).toBe(200);
    const output = UpscaleOutput.parse(await response.json());
    expect(output.seed).toBe(1234);
    const file = output.images[0]!;
    const { type, data } = decodeDataUri(file.url);
    expect(type).toBe("image/jpeg");
    expect(file).toMatchObject({
      content_type: "image/jpeg",
      file_size: data.byteLength,
      width: 48,
      height: 36,
    });
    expect(await dimensionsOf(data)).toEqual({ width: 48, height: 36, format: "jpeg" });
  });

  it("accepts a previous result URL as image_url (the simulator serves it)", async () => {
    const first = UpscaleOutput.parse(
      await (
        await post(runUrl, { image_url: dataUri(await makeImage(10, 10, "webp"), "image/webp") })
      ).json(),
    );
    const second = await post(runUrl, { image_url: first.images[0]!.url });
    expect(second.status).toBe(200);
    const output = UpscaleOutput.parse(await second.json());
    expect(await download(output.images[0]!.url)).toEqual({ width: 40, height: 40, format: "webp" });
  });

  it("serves every result URL, whatever characters its id starts with", async () => {
    const image = dataUri(await makeImage(4, 4));
    const outputs = await Promise.all(
      Array.from({ length: 200 }, async () =>
        UpscaleOutput.parse(await (await post(runUrl, { image_url: image })).json()),
      ),
    );
    const statuses = await Promise.all(outputs.map(async (o) => (await fetch(o.images[0]!.url)).status));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it("answers the seed's documented requests (image_url swapped to a fal storage URL)", async () => {
    const { file_url } = await upload(await makeImage(32, 32));
    for (const body of [
      { image_url: file_url },
      { image_url: file_url, resemblance: 50, detail: 50 },
      {
        image_url: file_url,
        prompt: "a sharp photo of a monkey in a rainforest",
        resemblance: 70,
        detail: 60,
        expand_prompt: false,
        seed: 123456,
        sync_mode: false,
      },
    ]) {
      const response = await post(runUrl, body);
      expect(response.status).toBe(200);
      const output = UpscaleOutput.parse(await response.json());
      expect(Object.keys(output).sort()).toEqual(["images", "seed"]);
      expect(Object.keys(output.images[0]!)).toEqual(
        expect.arrayContaining(["url", "content_type", "file_name", "file_size"]),
      );
      if (body.seed) expect(output.seed).toBe(123456);
    }
  });

  it("an image_url it does not serve fails with file_download_error and never connects", async () => {
    const before = h.clock.now();
    const response = await post(runUrl, {
      image_url: "https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png",
    });
    const item = await expect422(response, "file_download_error");
    expect(item).toMatchObject({
      loc: ["body", "image_url"],
      input: "https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png",
    });
    expect(h.clock.now() - before).toBe(0);
  });
});

describe("fal storage (rest.fal.ai + v3.fal.media)", () => {
  it("initiate → PUT → file_url serves the bytes and works as image_url", async () => {
    const image = await makeImage(20, 16);
    const { upload_url, file_url } = await upload(image, "image/png", "my photo (1).png");
    expect(upload_url).toMatch(/^https:\/\/v3\.fal\.media\/files\/upload\//);
    expect(file_url).toMatch(/^https:\/\/v3\.fal\.media\/files\/[a-z]+\/[0-9a-f]+_my_photo__1_\.png$/);
    const served = await fetch(file_url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(image);

    const run = await post(runUrl, { image_url: file_url });
    expect(run.status).toBe(200);
    const output = UpscaleOutput.parse(await run.json());
    expect(await download(output.images[0]!.url)).toEqual({ width: 40, height: 32, format: "png" });
  });

  it("file_url is 404 until the PUT; a tampered upload URL is refused", async () => {
    const init = await post("https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3", {
      content_type: "image/png",
      file_name: "x.png",
    });
    const { upload_url, file_url } = StorageInitiateResponse.parse(await init.json());
    expect((await fetch(file_url)).status).toBe(404);
    const tampered = upload_url.replace(/signature=[0-9a-f]/, "signature=g");
    const put = await fetch(tampered, { method: "PUT", body: "x" });
    expect(put.status).toBe(403);
    expect(((await put.json()) as { detail: string }).detail).toMatch(/signature/);
  });

  it("bad initiate requests get fal's 422 and missing keys its 401", async () => {
    const missing = await post("https://rest.fal.ai/storage/upload/initiate", { content_type: "image/png" });
    expect((await expect422(missing, "missing")).loc).toEqual(["body", "file_name"]);
    const wrongType = await post("https://rest.fal.ai/storage/upload/initiate?storage_type=gcs", {
      content_type: "image/png",
      file_name: "a.png",
    });
    expect((await expect422(wrongType, "enum")).loc).toEqual(["query", "storage_type"]);
    await expect422(await post("https://rest.fal.ai/storage/upload/initiate", "{oops"), "json_invalid");
    const noKey = await fetch("https://rest.fal.ai/storage/upload/initiate", { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);
  });

  it("publishes the webhook JWKS without a key", async () => {
    const response = await fetch("https://rest.fal.ai/.well-known/jwks.json");
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
    expect(keys[0]).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(keys[0]!.d).toBeUndefined();
  });
});

describe("fal queue (queue.fal.run)", () => {
  it("submit → IN_QUEUE → IN_PROGRESS → COMPLETED with short URLs, falling queue position and growing logs", async () => {
    const ticket = await submit({ image_url: dataUri(await makeImage(30, 20)) });
    const id = ticket.request_id;
    expect(ticket).toMatchObject({
      status: "IN_QUEUE",
      response_url: `${queue}/requests/${id}`,
      status_url: `${queue}/requests/${id}/status`,
      cancel_url: `${queue}/requests/${id}/cancel`,
    });
    const { final, seen } = await pollToCompletion(ticket.status_url, true);
    expect(distinct(seen.map((s) => s.status))).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    const positions = seen.flatMap((s) => (s.status === "IN_QUEUE" ? [s.queue_position] : []));
    expect(positions[0]).toBe(ticket.queue_position);
    expect([...positions].sort((a, b) => b - a)).toEqual(positions);
    expect(positions.at(-1)).toBeLessThan(Math.max(1, positions[0]!));
    const logCounts = seen.flatMap((s) => (s.status === "IN_PROGRESS" ? [s.logs!.length] : []));
    expect([...logCounts].sort((a, b) => a - b)).toEqual(logCounts);
    expect(logCounts.at(-1)!).toBeGreaterThan(logCounts[0]!);
    expect(final.logs!.length).toBeGreaterThanOrEqual(logCounts.at(-1)!);
    expect(final.logs![0]).toMatchObject({ level: "INFO", source: "USER" });
    expect(final.metrics!.inference_time).toBeGreaterThanOrEqual(5);
    expect(final.metrics!.inference_time).toBeLessThanOrEqual(20);
    expect(final.error).toBeUndefined();

    const result = await fetch(ticket.response_url, { headers: key });
    expect(result.status).toBe(200);
    expect(result.headers.get("x-fal-request-id")).toBe(id);
    const output = UpscaleOutput.parse(await result.json());
    expect(await download(output.images[0]!.url)).toEqual({ width: 60, height: 40, format: "png" });
  });

  it("logs are null unless logs=1", async () => {
    const ticket = await submit({ image_url: dataUri(await makeImage(8, 8)) });
    const { final, seen } = await pollToCompletion(ticket.status_url, false);
    const running = seen.filter((s) => s.status === "IN_PROGRESS");
    expect(running.length).toBeGreaterThan(0);
    for (const s of running) expect(s.status === "IN_PROGRESS" && s.logs).toBeNull();
    expect(final.logs).toBeNull();
    expect((await status(ticket.status_url, true)).status).toBe("COMPLETED");
    expect(((await status(ticket.status_url, true)) as { logs: unknown[] }).logs.length).toBeGreaterThan(0);
  });

  it("serves status, result, stream and cancel on the long /upscale/requests form too", async () => {
    const ticket = await submit({ image_url: dataUri(await makeImage(8, 8)) });
    const long = `${queue}/upscale/requests/${ticket.request_id}`;
    const early = await fetch(long, { headers: key });
    expect(early.status).toBe(400);
    expect(await early.json()).toEqual({ detail: "Request is still in progress" });
    const stream = await fetch(`${long}/status/stream`, { headers: key });
    expect(stream.status).toBe(200);
    const events = parseEvents(await stream.text());
    expect(events.at(-1)!.status).toBe("COMPLETED");
    expect((await status(`${long}/status`)).status).toBe("COMPLETED");
    const result = await fetch(long, { headers: key });
    expect(result.status).toBe(200);
    UpscaleOutput.parse(await result.json());
    const cancel = await fetch(`${long}/cancel`, { method: "PUT", headers: key });
    expect(cancel.status).toBe(400);
    expect(await cancel.json()).toEqual({ status: "ALREADY_COMPLETED" });
  });

  it("streams every status change as SSE until COMPLETED", async () => {
    const ticket = await submit({ image_url: dataUri(await makeImage(12, 12)) });
    const response = await fetch(`${ticket.status_url}/stream?logs=1`, {
      headers: { ...key, accept: "text/event-stream" },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const text = await response.text();
    expect(text).toMatch(/^data: \{/);
    expect(text.endsWith("\n\n")).toBe(true);
    const events = parseEvents(text);
    expect(distinct(events.map((e) => e.status))).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    const last = CompletedStatus.parse(events.at(-1));
    expect(last.logs!.length).toBeGreaterThan(0);
    expect(last.metrics?.inference_time).toBeGreaterThan(0);
    // Nothing is repeated: each event is a change.
    const raw = text.split("\n\n").filter(Boolean);
    expect(new Set(raw).size).toBe(raw.length);
  });

  it("cancel: 202 while queued, 202 while running, 400 once finished, 404 when unknown", async () => {
    const image = dataUri(await makeImage(8, 8));
    const queued = await submit({ image_url: image });
    const cancelQueued = await fetch(queued.cancel_url, { method: "PUT", headers: key });
    expect(cancelQueued.status).toBe(202);
    expect(await cancelQueued.json()).toEqual({ status: "CANCELLATION_REQUESTED" });
    const after = CompletedStatus.parse(await status(queued.status_url, true));
    expect(after).toMatchObject({
      error_type: "request_cancelled",
      logs: [],
      metrics: { inference_time: null },
    });
    const result = await fetch(queued.response_url, { headers: key });
    expect(result.status).toBe(400);
    expect(await result.json()).toEqual({ detail: "Request was cancelled." });
    expect((await fetch(queued.cancel_url, { method: "PUT", headers: key })).status).toBe(400);

    const running = await submit({ image_url: image });
    for (let i = 0; i < 100 && (await status(running.status_url)).status === "IN_QUEUE"; i++)
      await h.clock.sleep(250);
    expect((await status(running.status_url)).status).toBe("IN_PROGRESS");
    await h.clock.sleep(1_000);
    const cancelRunning = await fetch(running.cancel_url, { method: "PUT", headers: key });
    expect(cancelRunning.status).toBe(202);
    const stopped = CompletedStatus.parse(await status(running.status_url, true));
    expect(stopped.error_type).toBe("request_cancelled");
    expect(stopped.metrics!.inference_time).toBeGreaterThan(0);
    expect(stopped.logs!.at(-1)).toMatchObject({ level: "WARN" });

    const done = await submit({ image_url: image });
    await pollToCompletion(done.status_url);
    const late = await fetch(done.cancel_url, { method: "PUT", headers: key });
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ status: "ALREADY_COMPLETED" });

    const unknown = await fetch(`${queue}/requests/00000000-0000-4000-8000-000000000000/cancel`, {
      method: "PUT",
      headers: key,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ status: "NOT_FOUND" });
  });

  it("an unreachable image_url is accepted, then COMPLETED with file_download_error and a 422 result", async () => {
    const ticket = await submit({ image_url: "https://example.com/missing.png" });
    const { final } = await pollToCompletion(ticket.status_url, true);
    expect(final.error_type).toBe("file_download_error");
    expect(final.logs!.at(-1)).toMatchObject({ level: "ERROR" });
    const result = await fetch(ticket.response_url, { headers: key });
    expect(result.headers.get("x-fal-request-id")).toBe(ticket.request_id);
    const item = await expect422(result, "file_download_error");
    expect(item.input).toBe("https://example.com/missing.png");
  });

  it("sync_mode on the queue returns the image inline", async () => {
    const ticket = await submit({ image_url: dataUri(await makeImage(6, 4)), sync_mode: true });
    await pollToCompletion(ticket.status_url);
    const output = UpscaleOutput.parse(await (await fetch(ticket.response_url, { headers: key })).json());
    expect(await dimensionsOf(decodeDataUri(output.images[0]!.url).data)).toEqual({
      width: 12,
      height: 8,
      format: "png",
    });
  });

  it("x-fal-request-timeout: a run that cannot start in time ends COMPLETED with request_timeout (504)", async () => {
    const started = h.clock.now();
    const ticket = await submit(
      { image_url: dataUri(await makeImage(8, 8)) },
      { "x-fal-request-timeout": "30", "x-mock-scenario": "stuck" },
    );
    const { final, seen } = await pollToCompletion(ticket.status_url);
    expect(distinct(seen.map((s) => s.status))).toEqual(["IN_QUEUE", "COMPLETED"]);
    expect(final).toMatchObject({ error_type: "request_timeout", metrics: { inference_time: null } });
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(30_000);
    const result = await fetch(ticket.response_url, { headers: key });
    expect(result.status).toBe(504);
    expect(result.headers.get("x-fal-error-type")).toBe("request_timeout");
    expect(result.headers.get("x-fal-request-timeout-type")).toBe("user");
    expect(await result.json()).toMatchObject({ error_type: "request_timeout" });
  });

  it("unknown request ids answer 404 on status, stream and result", async () => {
    const base = `${queue}/requests/00000000-0000-4000-8000-000000000000`;
    for (const url of [`${base}/status`, `${base}/status/stream`, base]) {
      const response = await fetch(url, { headers: key });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ detail: "Request not found" });
    }
  });
});

describe("fal bad input gets fal's own 4xx", () => {
  it.each([
    ["invalid JSON", "{not json", "json_invalid", ["body", 0]],
    ["empty body", "", "missing", ["body"]],
    ["missing image_url", { prompt: "x" }, "missing", ["body", "image_url"]],
    ["not an object", "[1,2]", "model_attributes_type", ["body"]],
    [
      "resemblance 0",
      { image_url: "https://x.test/a.png", resemblance: 0 },
      "greater_than_equal",
      ["body", "resemblance"],
    ],
    ["detail 101", { image_url: "https://x.test/a.png", detail: 101 }, "less_than_equal", ["body", "detail"]],
    ["fractional seed", { image_url: "https://x.test/a.png", seed: 1.5 }, "int_from_float", ["body", "seed"]],
    [
      "string sync_mode",
      { image_url: "https://x.test/a.png", sync_mode: "yes" },
      "bool_type",
      ["body", "sync_mode"],
    ],
    ["image_url not a URL", { image_url: "photo.png" }, "url_parsing", ["body", "image_url"]],
  ])("%s → 422 %s (sync and queue)", async (_label, body, type, loc) => {
    for (const url of [runUrl, `${queue}/upscale`]) {
      const item = await expect422(await post(url, body), type);
      expect(item.loc).toEqual(loc);
    }
  });

  it.each([
    ["a truncated PNG", "image_load_error", async () => (await makeImage(64, 64)).slice(0, 60)],
    [
      "GIF bytes (wrong magic)",
      "image_load_error",
      async () => new TextEncoder().encode("GIF89a not an image"),
    ],
    ["a decompression bomb", "image_too_large", async () => pngDeclaring(50_000, 50_000)],
    [
      "an 11 MB file",
      "file_too_large",
      async () => {
        const big = new Uint8Array(11 * 1024 * 1024);
        big.set(await makeImage(8, 8));
        return big;
      },
    ],
  ])("%s → 422 %s", async (_label, type, make) => {
    const response = await post(runUrl, { image_url: dataUri(await make()) });
    const item = await expect422(response, type);
    expect(item.loc).toEqual(["body", "image_url"]);
    // And the simulator keeps answering.
    expect((await post(runUrl, { image_url: dataUri(await makeImage(4, 4)) })).status).toBe(200);
  });

  it("a malformed data: URI → 422 file_download_error", async () => {
    await expect422(await post(runUrl, { image_url: "data:image/png;base64,%%%%" }), "file_download_error");
  });

  it("an invalid fal_webhook → 422 on the query parameter", async () => {
    const response = await post(`${queue}/upscale?fal_webhook=not-a-url`, {
      image_url: "https://x.test/a.png",
    });
    expect((await expect422(response, "url_parsing")).loc).toEqual(["query", "fal_webhook"]);
  });

  it.each([
    ["no Authorization header", {}],
    ["Bearer scheme", { authorization: "Bearer test-key" }],
    ["bare key", { authorization: "test-key" }],
    ["Key without a key", { authorization: "Key " }],
  ])("%s → 401 No user found", async (_label, headers) => {
    for (const url of [runUrl, `${queue}/upscale`]) {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify({ image_url: "https://x.test/a.png" }),
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ detail: "No user found for Key ID and Secret" });
      expect(response.headers.get("x-fal-request-id")).toBeTruthy();
    }
  });

  it("unknown paths answer fal's 404", async () => {
    const response = await fetch("https://queue.fal.run/fal-ai/ideogram/nothing/here", { headers: key });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ detail: "Not Found" });
  });
});

describe("fal spec conformance", () => {
  it("checked the answers above against specs/fal.yaml and specs/fal-sync.yaml", () => {
    expect(h.checked.count).toBeGreaterThan(50);
    expect(h.violations).toEqual([]);
  });
});

function parseEvents(text: string): QueueStatus[] {
  return text
    .split("\n\n")
    .filter((chunk) => chunk.trim() !== "")
    .map((chunk) => {
      expect(chunk.startsWith("data: ")).toBe(true);
      return JSON.parse(chunk.slice("data: ".length)) as QueueStatus;
    });
}
