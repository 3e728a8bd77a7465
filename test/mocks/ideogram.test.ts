import { describe, expect, it } from "vitest";
import { ideogram } from "../../mocks/providers/ideogram/definition.ts";
import { linkSignature } from "../../mocks/providers/ideogram-family/links.ts";
import { dimensionsOf, makeImage, pngDeclaring } from "../../scripts/lib/images.ts";
import { useSimulators } from "../helpers/harness.ts";

const maxUploadBytes = 1024 * 1024;
const h = useSimulators({ definitions: [ideogram], limits: { maxUploadBytes } });
const endpoint = "https://api.ideogram.ai/upscale";
const key = { "Api-Key": "ideogram-test-key" };

interface ImageObject {
  url: string | null;
  prompt: string;
  resolution: string;
  upscaled_resolution: string;
  is_image_safe: boolean;
  seed: number;
}
interface UpscaleBody {
  created: string;
  data: ImageObject[];
}

function form(settings: unknown, image?: Uint8Array, type = "image/png"): FormData {
  const body = new FormData();
  if (settings !== undefined)
    body.append("image_request", typeof settings === "string" ? settings : JSON.stringify(settings));
  if (image) body.append("image_file", new Blob([image as Uint8Array<ArrayBuffer>], { type }), "photo.png");
  return body;
}

function upscale(body: FormData | string, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(endpoint, {
    method: "POST",
    headers: { ...key, ...headers },
    body,
    ...(signal ? { signal } : {}),
  });
}

async function download(url: string) {
  const response = await fetch(url);
  return { response, data: new Uint8Array(await response.arrayBuffer()) };
}

describe("ideogram POST /upscale", () => {
  it("answers synchronously after 5–20 s of provider time with a real 2x PNG on a signed link", async () => {
    const started = h.clock.now();
    const response = await upscale(form({ prompt: "a gradient", seed: 7 }, await makeImage(40, 30)));
    expect(response.status).toBe(200);
    const elapsed = h.clock.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(5_000);
    expect(elapsed).toBeLessThanOrEqual(20_000);
    const body = (await response.json()) as UpscaleBody;
    expect(new Date(body.created).getTime()).toBe(started);
    expect(body.data).toHaveLength(1);
    const [image] = body.data;
    expect(image).toMatchObject({
      prompt: "a gradient",
      resolution: "40x30",
      upscaled_resolution: "80x60",
      is_image_safe: true,
      seed: 7,
    });
    expect(image!.url).toMatch(
      /^https:\/\/ideogram\.ai\/api\/images\/ephemeral\/[\w-]+\.png\?exp=\d+&sig=[0-9a-f]{64}$/,
    );
    const exp = Number(new URL(image!.url!).searchParams.get("exp"));
    expect(exp * 1000).toBeGreaterThan(h.clock.now() + 23 * 3600_000);
    expect(exp * 1000).toBeLessThanOrEqual(h.clock.now() + 24 * 3600_000);
    const file = await download(image!.url!);
    expect(file.response.status).toBe(200);
    expect(file.response.headers.get("content-type")).toBe("image/png");
    expect(await dimensionsOf(file.data)).toEqual({ width: 80, height: 60, format: "png" });
  });

  it("num_images gives that many results, each its own output, with a random seed when none is given", async () => {
    const response = await upscale(form({ num_images: 3 }, await makeImage(20, 10, "webp"), "image/webp"));
    expect(response.status).toBe(200);
    const body = (await response.json()) as UpscaleBody;
    expect(body.data).toHaveLength(3);
    const urls = new Set(body.data.map((d) => d.url));
    expect(urls.size).toBe(3);
    for (const item of body.data) {
      expect(item.seed).toBeGreaterThanOrEqual(0);
      expect(item.seed).toBeLessThanOrEqual(2_147_483_647);
      expect(item.upscaled_resolution).toBe("40x20");
      const file = await download(item.url!);
      // Ideogram answers PNG whatever the input's format.
      expect(await dimensionsOf(file.data)).toEqual({ width: 40, height: 20, format: "png" });
    }
  });

  it("accepts image_request as an application/json file part (the spec's encoding) and a JPEG, noting it", async () => {
    const body = new FormData();
    body.append(
      "image_request",
      new Blob(['{"detail":80,"magic_prompt_option":"ON","prompt":"sea"}'], { type: "application/json" }),
      "settings.json",
    );
    body.append(
      "image_file",
      new Blob([(await makeImage(16, 16, "jpeg")) as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }),
      "a.jpg",
    );
    const response = await upscale(body);
    expect(response.status).toBe(200);
    const [image] = ((await response.json()) as UpscaleBody).data;
    expect(image!.prompt).toMatch(/^sea\. /);
    const [entry] = h.simulator.namespace().journal.list({ provider: "ideogram" });
    expect(entry!.notes).toEqual([
      expect.stringMatching(
        /^image_request came as a file part \(filename "settings\.json", type application\/json\)/,
      ),
    ]);
    expect(await dimensionsOf((await download(image!.url!)).data)).toEqual({
      width: 32,
      height: 32,
      format: "png",
    });
  });

  it("takes image_request as a plain text field, as the documents' curl sends it, without a note", async () => {
    const response = await upscale(form({ detail: 80 }, await makeImage(8, 8)));
    expect(response.status).toBe(200);
    const [entry] = h.simulator.namespace().journal.list({ provider: "ideogram" });
    expect(entry).toBeDefined();
    expect(entry!.notes).toBeUndefined();
  });

  it("accepts the seed request example (chainhub's, sent to Ideogram with Api-Key) and answers the documented shape", async () => {
    const settings =
      '{\r\n    "resemblance": 50,\r\n    "magic_prompt_option": "AUTO",\r\n    "prompt": "A%20serene%20tropical%20beach%20",\r\n    "seed": 12345,\r\n    "detail": 50\r\n}';
    const response = await upscale(form(settings, await makeImage(32, 32)), { accept: "application/json" });
    expect(response.status).toBe(200);
    const body = (await response.json()) as UpscaleBody;
    expect(Object.keys(body).sort()).toEqual(["created", "data"]);
    expect(body.data[0]).toEqual({
      url: expect.stringMatching(/^https:\/\/ideogram\.ai\/api\/images\/ephemeral\//),
      prompt: "A%20serene%20tropical%20beach%20",
      resolution: "32x32",
      upscaled_resolution: "64x64",
      is_image_safe: true,
      seed: 12345,
    });
  });

  it('a prompt with the word "unsafe" comes back is_image_safe: false with url null', async () => {
    const response = await upscale(form({ prompt: "an Unsafe scene", num_images: 2 }, await makeImage(8, 8)));
    expect(response.status).toBe(200);
    const body = (await response.json()) as UpscaleBody;
    expect(body.data.map((d) => [d.is_image_safe, d.url])).toEqual([
      [false, null],
      [false, null],
    ]);
  });
});

describe("ideogram result links", () => {
  async function oneUrl(): Promise<string> {
    const response = await upscale(form({}, await makeImage(8, 8)));
    return ((await response.json()) as UpscaleBody).data[0]!.url!;
  }

  it("a tampered signature or expiry answers 403", async () => {
    const url = new URL(await oneUrl());
    const sig = url.searchParams.get("sig")!;
    const badSig = new URL(url);
    badSig.searchParams.set("sig", `${sig.slice(0, -1)}${sig.endsWith("0") ? "1" : "0"}`);
    const bad = await fetch(badSig);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toMatch(/invalid signature/);
    const longer = new URL(url);
    longer.searchParams.set("exp", String(Number(url.searchParams.get("exp")) + 86_400));
    expect((await fetch(longer)).status).toBe(403);
    const unsigned = new URL(url);
    unsigned.search = "";
    expect((await fetch(unsigned)).status).toBe(403);
    expect((await fetch(url)).status).toBe(200);
  });

  it("expires after 24 hours with 403", async () => {
    const url = await oneUrl();
    await h.clock.advance(24 * 3600_000 + 1_000);
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/);
  });

  it("the expired-urls preset makes a fresh link answer 403 expired", async () => {
    const url = await oneUrl();
    const response = await fetch(url, { headers: { "x-mock-scenario": "expired-urls" } });
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/);
    expect((await fetch(url)).status).toBe(200);
  });

  it("the signature covers the id: another id under the same signature answers 403", async () => {
    const url = new URL(await oneUrl());
    url.pathname = "/api/images/ephemeral/AAAAAAAAAAAAAAAA.png";
    expect((await fetch(url)).status).toBe(403);
  });

  it("a correctly signed link to an image that does not exist answers 404", async () => {
    const exp = Math.floor(h.clock.now() / 1000) + 3600;
    const sig = linkSignature(h.simulator.services.linkSecret, "unknown", exp);
    const response = await fetch(
      `https://ideogram.ai/api/images/ephemeral/unknown.png?exp=${exp}&sig=${sig}`,
    );
    expect(response.status).toBe(404);
  });
});

describe("ideogram bad input gets Ideogram's own 4xx", () => {
  async function expectError(response: Response, status: number, pattern: RegExp) {
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: string };
    expect(Object.keys(body)).toEqual(["error"]);
    expect(body.error).toMatch(pattern);
  }

  it("missing Api-Key → 401; Bearer instead of Api-Key → 401 naming the header", async () => {
    const image = await makeImage(8, 8);
    await expectError(
      await fetch(endpoint, { method: "POST", body: form({}, image) }),
      401,
      /missing Api-Key/,
    );
    await expectError(
      await fetch(endpoint, {
        method: "POST",
        headers: { authorization: "Bearer x" },
        body: form({}, image),
      }),
      401,
      /Api-Key header/,
    );
  });

  it.each([
    ["a JSON body instead of multipart", () => JSON.stringify({ prompt: "x" }), /multipart\/form-data/],
    ["no image_request part", async () => form(undefined, await makeImage(8, 8)), /image_request/],
    [
      "image_request that is not JSON",
      async () => form("{resemblance: 50", await makeImage(8, 8)),
      /not valid JSON/,
    ],
    ["resemblance over 100", async () => form({ resemblance: 101 }, await makeImage(8, 8)), /resemblance/],
    ["num_images 9", async () => form({ num_images: 9 }, await makeImage(8, 8)), /num_images/],
    ["a fractional seed", async () => form({ seed: 1.5 }, await makeImage(8, 8)), /seed/],
    [
      "an unknown magic_prompt_option",
      async () => form({ magic_prompt_option: "MAYBE" }, await makeImage(8, 8)),
      /magic_prompt_option/,
    ],
    ["no image_file part", () => form({}), /image_file/],
    [
      "image_file as a text field",
      () => {
        const body = form({});
        body.append("image_file", "not a file");
        return body;
      },
      /file upload/,
    ],
    [
      "bytes that are not an image",
      () => form({}, new TextEncoder().encode("GIF89a not really")),
      /JPEG, PNG or WebP/,
    ],
    [
      "a truncated PNG",
      async () => form({}, (await makeImage(64, 64)).slice(0, 60)),
      /could not be read|no dimensions/,
    ],
    [
      "a decompression bomb (PNG declaring 100k×100k)",
      () => form({}, pngDeclaring(100_000, 100_000)),
      /pixels/,
    ],
  ])("%s → 400", async (_label, build, pattern) => {
    const body = await build();
    await expectError(
      await upscale(body, typeof body === "string" ? { "content-type": "application/json" } : {}),
      400,
      pattern,
    );
  });

  it("an upload over limits.maxUploadBytes → 413, and the simulator keeps answering", async () => {
    await expectError(await upscale(form({}, new Uint8Array(maxUploadBytes + 1))), 413, /too large/);
    expect((await upscale(form({}, await makeImage(8, 8)))).status).toBe(200);
  });

  it("unknown paths answer Ideogram's 404", async () => {
    await expectError(await fetch("https://api.ideogram.ai/v9/nothing", { headers: key }), 404, /Not found/);
  });
});

describe("ideogram scenarios", () => {
  const request = async () => form({ prompt: "x" }, await makeImage(8, 8));

  it("healthy answers normally", async () => {
    expect((await upscale(await request(), { "x-mock-scenario": "healthy" })).status).toBe(200);
  });

  it.each([
    ["outage", 503, { error: "Service temporarily unavailable. Retry later." }],
    ["auth-failure", 401, { error: "Unauthorized: invalid API key." }],
    ["task-failure", 422, { error: "Prompt or initial image failed safety check." }],
    [
      "no-credit",
      402,
      {
        error: "Insufficient funds to complete the request. Add credit to your Ideogram API account.",
        reject_reason: "insufficient_funds",
      },
    ],
  ])("%s → %i with Ideogram's body", async (preset, status, body) => {
    const response = await upscale(await request(), { "x-mock-scenario": preset });
    expect(response.status).toBe(status);
    expect(await response.json()).toEqual(body);
  });

  it("rate-limited answers 429 inflight_limit with Retry-After twice, then upscales", async () => {
    h.simulator.setScenario("default", "ideogram", "rate-limited");
    for (let i = 0; i < 2; i++) {
      const response = await upscale(await request());
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("2");
      expect(await response.json()).toEqual({
        error: "Too many in-flight requests. Wait for running upscales to finish, then retry.",
        reject_reason: "inflight_limit",
      });
    }
    expect((await upscale(await request())).status).toBe(200);
  });

  it("flaky fails some requests with 503 and lets the rest through", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++)
      statuses.push((await upscale(await request(), { "x-mock-scenario": "flaky" })).status);
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
  });

  it("malformed answers 200 with a body that breaks the schema", async () => {
    h.violations.length = 0;
    const response = await upscale(await request(), { "x-mock-scenario": "malformed" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ created: null, data: null });
    expect(h.violations.length).toBeGreaterThan(0);
    h.violations.length = 0;
  });

  it.each(["timeout", "stuck"])("%s never answers: the caller's timeout fires", async (preset) => {
    await expect(
      upscale(await request(), { "x-mock-scenario": preset }, AbortSignal.timeout(300)),
    ).rejects.toThrow(/aborted|timeout/i);
    expect((await upscale(await request())).status).toBe(200);
  });

  it("reset drops the first attempt's connection, then recovers", async () => {
    h.simulator.setScenario("default", "ideogram", "reset");
    await expect(upscale(await request())).rejects.toThrow();
    expect((await upscale(await request())).status).toBe(200);
  });

  it("slow adds latency on the clock", async () => {
    await upscale(await request(), { "x-mock-scenario": "slow" });
    const [entry] = h.simulator.namespace().journal.list({ provider: "ideogram" });
    expect(entry?.faults).toContain("latency");
  });

  it("webhook-chaos does not apply (no webhooks): the call answers normally", async () => {
    expect((await upscale(await request(), { "x-mock-scenario": "webhook-chaos" })).status).toBe(200);
  });
});

describe("ideogram spec conformance", () => {
  it("every answer above was checked against specs/ideogram.yaml", () => {
    expect(h.checked.count).toBeGreaterThan(30);
  });
});
