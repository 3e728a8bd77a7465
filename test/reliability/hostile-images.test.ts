/**
 * Hostile images against the standalone server, to every provider that takes an image:
 * decompression bombs (a PNG and a WebP built byte by byte, tiny files declaring billions of
 * pixels), truncated and corrupt files, and files whose magic bytes are not an image's. Each gets
 * the provider's own 4xx (checked against its spec), quickly and without the server's memory
 * jumping, and the server keeps answering.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { webpDeclaring, webpLosslessDeclaring } from "../../scripts/lib/hostile-images.ts";
import { makeImage, pngDeclaring } from "../../scripts/lib/images.ts";
import { multipart } from "../../scripts/lib/multipart.ts";
import { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import type { ProviderId } from "../../src/providers/ids.ts";

let server: MockServer;
const spec = new SpecConformance();

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
});
afterAll(() => server?.close());

interface Answer {
  status: number;
  text: string;
  problems: string[];
}

async function answer(provider: ProviderId, operation: string, response: Response): Promise<Answer> {
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const problems = spec.check(provider, operation, {
    status: response.status,
    headers,
    body: { kind: "text", value: text },
  });
  return { status: response.status, text, problems };
}

/** Sends the image the way each provider takes it. */
const senders: Record<string, (data: Uint8Array) => Promise<Answer>> = {
  async ideogram(data) {
    const form = multipart([
      { name: "image_request", value: "{}" },
      { name: "image_file", value: data, filename: "in.png", type: "image/png" },
    ]);
    const response = await fetch(`${server.urls["ideogram.api"]}/upscale`, {
      method: "POST",
      headers: { "api-key": "k", "content-type": form.contentType },
      body: form.body,
    });
    return answer("ideogram", "upscaleImage", response);
  },
  async chainhub(data) {
    const form = multipart([
      { name: "image_request", value: "{}" },
      { name: "image_file", value: data, filename: "in.png", type: "image/png" },
    ]);
    const response = await fetch(`${server.urls["chainhub.api"]}/ideogram/upscale`, {
      method: "POST",
      headers: { authorization: "Bearer k", accept: "application/json", "content-type": form.contentType },
      body: form.body,
    });
    return answer("chainhub", "submitUpscale", response);
  },
  async fal(data) {
    const response = await fetch(`${server.urls["fal.run"]}/fal-ai/ideogram/upscale`, {
      method: "POST",
      headers: { authorization: "Key k", "content-type": "application/json" },
      body: JSON.stringify({ image_url: `data:image/png;base64,${Buffer.from(data).toString("base64")}` }),
    });
    return answer("fal", "runUpscale", response);
  },
  async freepik(data) {
    const response = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
      method: "POST",
      headers: { "x-freepik-api-key": "k", "content-type": "application/json" },
      body: JSON.stringify({ image: Buffer.from(data).toString("base64") }),
    });
    return answer("freepik", "createUpscale", response);
  },
  async onemin(data) {
    const form = multipart([{ name: "asset", value: data, filename: "in.png", type: "image/png" }]);
    const response = await fetch(`${server.urls["onemin.api"]}/api/assets`, {
      method: "POST",
      headers: { "api-key": "k", "content-type": form.contentType },
      body: form.body,
    });
    return answer("onemin", "uploadAsset", response);
  },
};

/** The status each provider refuses a bad image with (fal: 422 model error). */
const refusal: Record<string, number> = { ideogram: 400, chainhub: 400, fal: 422, freepik: 400, onemin: 400 };
const providers = Object.keys(senders);

async function expectRefused(provider: string, data: Uint8Array, reason: RegExp) {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const result = await senders[provider]!(data);
  const ms = performance.now() - started;
  expect(result.status, result.text).toBe(refusal[provider]);
  expect(result.problems).toEqual([]);
  expect(result.text).toMatch(reason);
  // Refused from the header: no decode of billions of pixels, no memory spike.
  expect(ms).toBeLessThan(2_000);
  expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
}

describe("decompression bombs are refused from their headers", () => {
  const pngBomb = pngDeclaring(100_000, 100_000);
  const webpBomb = webpDeclaring(16_383, 16_383);
  const webpLosslessBomb = webpLosslessDeclaring(16_383, 16_383);

  it("the bombs are tiny files that declare huge images", () => {
    expect(pngBomb.byteLength).toBeLessThan(200);
    expect(webpBomb.byteLength).toBeLessThan(200);
    expect(String.fromCharCode(...webpBomb.subarray(0, 4), ...webpBomb.subarray(8, 16))).toBe("RIFFWEBPVP8 ");
    expect(String.fromCharCode(...webpLosslessBomb.subarray(12, 16))).toBe("VP8L");
  });

  for (const provider of providers) {
    it(`${provider}: a PNG declaring 100000x100000`, () =>
      expectRefused(provider, pngBomb, /10000000000 pixels/));
    it(`${provider}: a lossy WebP declaring 16383x16383`, () =>
      expectRefused(provider, webpBomb, /268402689 pixels/));
    it(`${provider}: a lossless WebP declaring 16383x16383`, () =>
      expectRefused(provider, webpLosslessBomb, /268402689 pixels/));
  }
});

describe("truncated, corrupt and mislabelled images", () => {
  let png: Uint8Array;
  let jpeg: Uint8Array;
  beforeAll(async () => {
    png = await makeImage(96, 64, "png");
    jpeg = await makeImage(96, 64, "jpeg");
  });

  for (const provider of providers) {
    it(`${provider}: a PNG cut in half (intact header) is refused, not accepted and failed later`, () =>
      expectRefused(provider, png.slice(0, Math.floor(png.length / 2)), /could not be (decoded|read)/));
    it(`${provider}: a JPEG cut in half`, () =>
      expectRefused(provider, jpeg.slice(0, Math.floor(jpeg.length / 2)), /could not be (decoded|read)/));
    it(`${provider}: a PNG with its pixel data scrambled`, () => {
      const corrupt = png.slice();
      for (let i = 60; i < corrupt.length - 20; i += 5) corrupt[i] = corrupt[i]! ^ 0xa5;
      return expectRefused(provider, corrupt, /could not be (decoded|read)/);
    });
    it(`${provider}: wrong magic bytes (a GIF, an SVG, text) sent as image/png`, async () => {
      for (const text of [
        "GIF89a\u0001\u0000\u0001\u0000\u0080\u0000\u0000;",
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "just text",
      ])
        await expectRefused(
          provider,
          new TextEncoder().encode(text),
          /not a JPEG, PNG or WebP|Unsupported file type|image_load_error|Failed to load/,
        );
    });
  }

  it("fal's queue accepts the run, then its result is the provider's 422", async () => {
    const submit = await fetch(`${server.urls["fal.queue"]}/fal-ai/ideogram/upscale`, {
      method: "POST",
      headers: { authorization: "Key k", "content-type": "application/json" },
      body: JSON.stringify({
        image_url: `data:image/png;base64,${Buffer.from(pngDeclaring(100_000, 100_000)).toString("base64")}`,
      }),
    });
    expect(submit.status).toBe(200);
    const { status_url, response_url } = (await submit.json()) as {
      status_url: string;
      response_url: string;
    };
    let status = "";
    for (let i = 0; i < 5 && status !== "COMPLETED"; i++)
      status = (
        (await (await fetch(status_url, { headers: { authorization: "Key k" } })).json()) as {
          status: string;
        }
      ).status;
    expect(status).toBe("COMPLETED");
    const result = await answer(
      "fal",
      "getRequestResult",
      await fetch(response_url, { headers: { authorization: "Key k" } }),
    );
    expect(result.status).toBe(422);
    expect(result.problems).toEqual([]);
    expect(JSON.parse(result.text).detail[0].type).toBe("image_too_large");
  });

  it("the server still answers after all of it", async () => {
    expect((await fetch(`${server.url}/__admin/health`)).status).toBe(200);
  });
});
