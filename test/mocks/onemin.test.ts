/**
 * 1min.ai simulator: asset upload, the blocking IMAGE_UPSCALER call, relative result keys served
 * on asset.1min.ai, and the native `{message}` answers to bad input.
 */
import { afterAll, describe, expect, it } from "vitest";
import { onemin, rateLimitSetting } from "../../mocks/providers/onemin/definition.ts";
import { dimensionsOf, makeImage, pngDeclaring } from "../../scripts/lib/images.ts";
import type { VirtualClock } from "../../src/core/clock.ts";
import { AssetUploadResponse, ErrorResponse, FeatureResponse } from "../../src/providers/onemin/schemas.ts";
import { useSimulators } from "../helpers/harness.ts";

const api = "https://api.1min.ai";
const assetHost = "https://asset.1min.ai";
const key = { "API-KEY": "test-key" };
const maxUploadBytes = 300_000;

const h = useSimulators({ definitions: [onemin], limits: { maxUploadBytes } });

type Json = Record<string, unknown>;
const uploaded = async (res: Response) => AssetUploadResponse.parse(await res.json());
const finished = async (res: Response) => FeatureResponse.parse(await res.json());

afterAll(() => {
  // The API answers above were all checked against specs/onemin.yaml by the harness.
  expect(h.checked.count).toBeGreaterThan(40);
});

async function upload(
  data: Uint8Array,
  name = "photo.png",
  type = "image/png",
  headers: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  form.append("asset", new Blob([data as Uint8Array<ArrayBuffer>], { type }), name);
  return fetch(`${api}/api/assets`, { method: "POST", headers: { ...key, ...headers }, body: form });
}

async function uploadKey(data: Uint8Array, name = "photo.png", headers: Record<string, string> = {}) {
  const res = await upload(data, name, "image/png", headers);
  expect(res.status).toBe(200);
  return (await uploaded(res)).fileContent.path;
}

function feature(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${api}/api/features`, {
    method: "POST",
    headers: { ...key, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const upscale = (imageUrl: string, extra: Json = {}) => ({
  type: "IMAGE_UPSCALER",
  model: "ideogram-3",
  promptObject: { imageUrl, num_images: 1, ...extra },
});

async function download(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { res, data: new Uint8Array(await res.arrayBuffer()) };
}

/** Runs a request to completion on a namespace's own virtual clock. */
async function drive<T>(pending: Promise<T>, namespace: string): Promise<T> {
  const clock = h.simulator.namespace(namespace).clock as VirtualClock;
  let done = false;
  pending.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  while (!done) {
    await new Promise((resolve) => setImmediate(resolve));
    await clock.runUntilIdle();
  }
  return pending;
}

async function expectMessage(res: Response, status: number, pattern: RegExp) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  expect(ErrorResponse.parse(await res.json()).message).toMatch(pattern);
}

describe("onemin POST /api/assets", () => {
  it.each([
    ["png", "image/png", "photo.png", "png"],
    ["jpeg", "image/jpeg", "photo.jpg", "jpg"],
    ["webp", "image/webp", "photo.webp", "webp"],
  ] as const)(
    "stores a %s under images/<stamp>_<name> and serves it on the asset host",
    async (format, mimetype, name, extension) => {
      const image = await makeImage(40, 30, format);
      const res = await upload(image, name, mimetype);
      expect(res.status).toBe(200);
      const body = await uploaded(res);
      const stamp = new Date(h.clock.now())
        .toISOString()
        .replace(/[-T:.]/g, "_")
        .replace(/Z$/, "");
      expect(body.asset.key).toBe(`images/${stamp}_${name}`);
      expect(body.fileContent).toMatchObject({
        path: body.asset.key,
        type: extension,
        name: `${stamp}_${name}`,
        status: "ACTIVE",
      });
      expect(body.fileContent.uuid).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.asset).toMatchObject({ mimetype, size: image.byteLength });
      expect(body.asset.location).toBe(`${assetHost}/${body.asset.key}`);
      const { res: got, data } = await download(`${assetHost}/${body.asset.key}`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe(mimetype);
      expect(data).toEqual(image);
    },
  );

  it("gives two same-name uploads in one millisecond distinct keys", async () => {
    const first = await uploadKey(await makeImage(10, 10));
    const second = await uploadKey(await makeImage(12, 12));
    expect(second).not.toBe(first);
    expect((await dimensionsOf((await download(`${assetHost}/${first}`)).data)).width).toBe(10);
    expect((await dimensionsOf((await download(`${assetHost}/${second}`)).data)).width).toBe(12);
  });

  it("keeps uploads inside their namespace", async () => {
    const path = await uploadKey(await makeImage(), "photo.png", { "x-mock-namespace": "team-a" });
    const elsewhere = await feature(upscale(path), { "x-mock-namespace": "team-b" });
    await expectMessage(elsewhere, 400, /^Asset not found: images\//);
    expect((await download(`${assetHost}/${path}`, { "x-mock-namespace": "team-b" })).res.status).toBe(404);
    expect((await download(`${assetHost}/${path}`, { "x-mock-namespace": "team-a" })).res.status).toBe(200);
    // New namespaces get their own virtual clock (without auto-advance): drive it by hand.
    const home = await drive(feature(upscale(path), { "x-mock-namespace": "team-a" }), "team-a");
    expect(home.status).toBe(200);
    expect((await finished(home)).aiRecord.status).toBe("SUCCESS");
  });
});

describe("onemin POST /api/features", () => {
  it("blocks 10–60 s, then answers a SUCCESS record whose relative keys hold 2x images", async () => {
    const path = await uploadKey(await makeImage(64, 48));
    const started = h.clock.now();
    const res = await feature(upscale(path, { num_images: 2, prompt: "a lighthouse", seed: 7 }));
    const elapsed = h.clock.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(10_000);
    expect(elapsed).toBeLessThanOrEqual(60_000);
    expect(res.status).toBe(200);
    const { aiRecord, temporaryUrl } = await finished(res);
    expect(aiRecord).toMatchObject({ model: "ideogram-3", type: "IMAGE_UPSCALER", status: "SUCCESS" });
    expect(aiRecord.aiRecordDetail.promptObject).toEqual({
      imageUrl: path,
      num_images: 2,
      prompt: "a lighthouse",
      seed: 7,
    });
    const keys = aiRecord.aiRecordDetail.resultObject as string[];
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(2);
    for (const k of keys)
      expect(k).toMatch(/^images\/\d{4}_\d{2}_\d{2}_\d{2}_\d{2}_\d{2}_\d{3}_upscale_.+\.png$/);
    const data = aiRecord.aiRecordDetail.responseObject.data;
    expect(data.map((d) => d.seed)).toEqual([7, 8]);
    expect(data[0]).toMatchObject({
      prompt: "a lighthouse",
      resolution: "64x48",
      upscaled_resolution: "128x96",
      is_image_safe: true,
      url: `${assetHost}/${keys[0]}`,
    });
    for (const k of keys) {
      const { res: got, data: bytes } = await download(`${assetHost}/${k}`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("image/png");
      expect(await dimensionsOf(bytes)).toEqual({ width: 128, height: 96, format: "png" });
    }
    expect(temporaryUrl).toMatch(new RegExp(`^${assetHost}/${keys[0]}\\?X-Amz-Algorithm=`));
    expect(await dimensionsOf((await download(temporaryUrl!)).data)).toMatchObject({
      width: 128,
      height: 96,
    });
  });

  it("keeps the input format (JPEG in, JPEG out)", async () => {
    const res = await upload(await makeImage(30, 20, "jpeg"), "shot.jpg", "image/jpeg");
    const path = (await uploaded(res)).fileContent.path;
    const body = await finished(await feature(upscale(path)));
    const [k] = body.aiRecord.aiRecordDetail.resultObject as string[];
    expect(k).toMatch(/\.jpg$/);
    expect(await dimensionsOf((await download(`${assetHost}/${k}`)).data)).toEqual({
      width: 60,
      height: 40,
      format: "jpeg",
    });
  });

  it("lists results as relative keys: fetching one as a URL fails, resolving it on asset.1min.ai works", async () => {
    const path = await uploadKey(await makeImage(20, 20));
    const body = await finished(await feature(upscale(path)));
    const [relative] = body.aiRecord.aiRecordDetail.resultObject as string[];
    expect(relative).not.toMatch(/^https?:/);
    await expect(fetch(relative!)).rejects.toThrow(TypeError);
    const { res, data } = await download(new URL(relative!, `${assetHost}/`).href);
    expect(res.status).toBe(200);
    expect(await dimensionsOf(data)).toMatchObject({ width: 40, height: 40 });
  });

  it("accepts the documented request (seed 003) with the key swapped for an uploaded one", async () => {
    const path = await uploadKey(await makeImage(32, 32), "low_res_photo.png");
    const seedBody = {
      type: "IMAGE_UPSCALER",
      model: "ideogram-3",
      promptObject: {
        imageUrl: path,
        num_images: 1,
        magic_prompt_option: "AUTO",
        resemblance: 50,
        detail: 50,
      },
    };
    const res = await fetch(`${api}/api/features`, {
      method: "POST",
      headers: { "API-KEY": "YOUR_API_KEY", "Content-Type": "application/json" },
      body: JSON.stringify(seedBody),
    });
    expect(res.status).toBe(200);
    const body = await finished(res);
    expect(body.aiRecord.status).toBe("SUCCESS");
    expect(body.aiRecord.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(body.aiRecord.aiRecordDetail.promptObject).toEqual(seedBody.promptObject);
    expect(body.aiRecord.aiRecordDetail.resultObject).toHaveLength(1);
    const [entry] = body.aiRecord.aiRecordDetail.responseObject.data;
    expect(entry).toMatchObject({ prompt: "", resolution: "32x32", upscaled_resolution: "64x64" });
    expect(Date.parse(body.aiRecord.aiRecordDetail.responseObject.created)).toBe(h.clock.now());
  });

  it("takes an absolute URL the simulator serves (an upload's location, a previous result)", async () => {
    const res = await upload(await makeImage(16, 12));
    const location = (await uploaded(res)).asset.location;
    const first = await finished(await feature(upscale(location)));
    const [entry] = first.aiRecord.aiRecordDetail.responseObject.data;
    expect(entry?.upscaled_resolution).toBe("32x24");
    const again = await finished(await feature(upscale(entry!.url!)));
    expect(again.aiRecord.aiRecordDetail.responseObject.data[0]?.upscaled_resolution).toBe("64x48");
    // A result key is an asset key too.
    const [resultKey] = first.aiRecord.aiRecordDetail.resultObject;
    const third = await finished(await feature(upscale(resultKey!)));
    expect(third.aiRecord.aiRecordDetail.responseObject.data[0]?.resolution).toBe("32x24");
  });

  it("stops serving results after the link lifetime (7 days)", async () => {
    const path = await uploadKey(await makeImage(8, 8));
    const body = await finished(await feature(upscale(path)));
    const [k] = body.aiRecord.aiRecordDetail.resultObject as string[];
    await h.clock.advance(7 * 24 * 3600_000 + 1_000);
    const { res, data } = await download(`${assetHost}/${k}`);
    expect(res.status).toBe(403);
    expect(new TextDecoder().decode(data)).toContain("<Code>AccessDenied</Code>");
    expect((await download(`${assetHost}/${path}`)).res.status).toBe(404);
  });
});

describe("onemin auth and bad input", () => {
  it("answers 401 {message} without API-KEY, or with another provider's header", async () => {
    const body = JSON.stringify(upscale("images/x.png"));
    const wrong: Array<Record<string, string>> = [
      {},
      { Authorization: "Bearer test-key" },
      { "Api-Key": "" },
    ];
    for (const headers of wrong) {
      const res = await fetch(`${api}/api/features`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
      await expectMessage(res, 401, /^Unauthorized$/);
    }
    const form = new FormData();
    form.append("asset", new Blob([(await makeImage()) as Uint8Array<ArrayBuffer>]), "a.png");
    await expectMessage(
      await fetch(`${api}/api/assets`, { method: "POST", body: form }),
      401,
      /Unauthorized/,
    );
  });

  it.each([
    ["invalid JSON", "{not json", /not valid JSON/],
    ["an empty body", "", /empty/],
    ["no promptObject", { type: "IMAGE_UPSCALER", model: "ideogram-3" }, /^promptObject: /],
    [
      "no num_images",
      { type: "IMAGE_UPSCALER", model: "ideogram-3", promptObject: { imageUrl: "k" } },
      /promptObject\.num_images/,
    ],
    ["num_images 0", upscale("k", { num_images: 0 }), /promptObject\.num_images/],
    ["num_images 9", upscale("k", { num_images: 9 }), /promptObject\.num_images/],
    ["num_images as a string", upscale("k", { num_images: "1" }), /promptObject\.num_images/],
    ["resemblance 101", upscale("k", { resemblance: 101 }), /promptObject\.resemblance/],
    ["detail -1", upscale("k", { detail: -1 }), /promptObject\.detail/],
    ["seed over 2^31-1", upscale("k", { seed: 2_147_483_648 }), /promptObject\.seed/],
    [
      "magic_prompt_option on",
      upscale("k", { magic_prompt_option: "on" }),
      /promptObject\.magic_prompt_option/,
    ],
    ["another feature type", { ...upscale("k"), type: "IMAGE_GENERATOR" }, /^type: /],
    ["another model", { ...upscale("k"), model: "ideogram-2" }, /^model: /],
    ["an empty imageUrl", upscale(""), /promptObject\.imageUrl/],
  ])("answers 400 {message} for %s", async (_, body, pattern) => {
    await expectMessage(await feature(body), 400, pattern);
  });

  it.each([
    ["an unknown asset key", "images/2026_04_15_10_30_00_999_missing.png"],
    ["a data URI", "data:image/png;base64,iVBORw0KGgo="],
    ["an unknown result key", "images/2026_04_15_10_30_00_999_upscale_AAAAAAAAAAAAAAAA.png"],
  ])("answers 400 'Asset not found' for %s", async (_, imageUrl) => {
    await expectMessage(await feature(upscale(imageUrl)), 400, /^Asset not found: /);
  });

  it("refuses bad uploads with native 4xx and keeps answering afterwards", async () => {
    // Not multipart at all.
    const raw = await fetch(`${api}/api/assets`, {
      method: "POST",
      headers: { ...key, "content-type": "image/png" },
      body: (await makeImage()) as Uint8Array<ArrayBuffer>,
    });
    await expectMessage(raw, 400, /No file uploaded/);
    // Multipart without the `asset` part.
    const form = new FormData();
    form.append("file", new Blob([(await makeImage()) as Uint8Array<ArrayBuffer>]), "photo.png");
    await expectMessage(
      await fetch(`${api}/api/assets`, { method: "POST", headers: key, body: form }),
      400,
      /field "asset"/,
    );
    // A GIF that claims to be a PNG: magic bytes decide.
    const gif = new TextEncoder().encode("GIF89a\x01\x00\x01\x00\x00\x00\x00;");
    await expectMessage(await upload(gif, "fake.png", "image/png"), 400, /^Unsupported file type image\/png/);
    // A PNG cut short.
    const png = await makeImage(64, 64);
    await expectMessage(await upload(png.slice(0, 60)), 400, /^Invalid image/);
    // Over the upload limit.
    await expectMessage(await upload(new Uint8Array(maxUploadBytes + 1).fill(1)), 413, /File too large/);
    // A decompression bomb: a tiny file declaring 20000x20000 pixels.
    await expectMessage(await upload(pngDeclaring(20_000, 20_000), "bomb.png"), 400, /20000x20000/);
    // Still fine.
    const path = await uploadKey(png);
    expect((await feature(upscale(path))).status).toBe(200);
  });

  it("answers 'Asset not found' for an asset-host URL whose key does not exist", async () => {
    await expectMessage(await feature(upscale(`${assetHost}/images/nothing.png`)), 400, /^Asset not found/);
  });

  it("answers its 404 for unknown paths and the S3 404 for unknown asset keys", async () => {
    const res = await fetch(`${api}/api/unknown`, { method: "POST", headers: key });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      message: "Cannot POST /api/unknown",
      error: "Not Found",
      statusCode: 404,
    });
    const missing = await download(`${assetHost}/images/nothing.png`);
    expect(missing.res.status).toBe(404);
    expect(new TextDecoder().decode(missing.data)).toContain("<Code>NoSuchKey</Code>");
  });

  it("enforces the per-key request limit per minute with 429 + Retry-After", async () => {
    h.simulator.namespace("limited").settings.set(rateLimitSetting, "3");
    const ns = { "x-mock-namespace": "limited" };
    for (let i = 0; i < 3; i++) await expectMessage(await feature("{", ns), 400, /JSON/);
    const limited = await feature("{", ns);
    await expectMessage(limited, 429, /Limit is 3 requests per minute/);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another key has its own budget.
    await expectMessage(await feature("{", { ...ns, "API-KEY": "other" }), 400, /JSON/);
    await (h.simulator.namespace("limited").clock as VirtualClock).advance(60_000);
    await expectMessage(await feature("{", ns), 400, /JSON/);
  });
});
