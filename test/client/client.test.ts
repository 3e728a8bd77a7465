/**
 * The client's own behaviour against the simulators: handles that travel between processes,
 * every input form, option mapping and its warnings, injectable fetch, credentials kept to the
 * API origins, provider URLs kept to known origins, abort, the circuit breaker, retries that
 * really wait on the clock, and keys that never leak.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dimensionsOf, makeImage, pngDeclaring } from "../../scripts/lib/images.ts";
import {
  ApiError,
  ContentPolicyError,
  ContractError,
  createUpscaler,
  NetworkError,
  type OperationHandle,
  type ProgressEvent,
  type ProviderId,
  UnsafeUrlError,
  type UpscalerConfig,
  ValidationError,
} from "../../src/index.ts";
import { useSimulators } from "../helpers/harness.ts";

const h = useSimulators();
const apiKeys = {
  ideogram: "id-key",
  chainhub: "ch-key",
  fal: "fal-id:fal-secret",
  onemin: "om-key",
  freepik: "fp-key",
};

interface Seen {
  url: string;
  method: string;
  headers: Headers;
  body: string | undefined;
}

/** An injected fetch that records what the client sends, then lets MSW answer. */
function recorder(rewrite?: (request: Request, response: Response) => Promise<Response>) {
  const seen: Seen[] = [];
  const fetch = async (request: Request) => {
    const body =
      request.method === "GET" || request.method === "HEAD" ? undefined : await request.clone().text();
    // Copied from its entries: MSW's header recording makes `new Headers(request.headers)` keep
    // only the content-type of a multipart Request built while it is listening.
    seen.push({ url: request.url, method: request.method, headers: new Headers([...request.headers]), body });
    const response = await globalThis.fetch(request);
    return rewrite ? rewrite(request, response) : response;
  };
  return { seen, fetch };
}

function client(provider: ProviderId, extra: Partial<UpscalerConfig> = {}) {
  return createUpscaler({ provider, apiKeys, clock: h.clock, ...extra });
}

const jsonBodies = (seen: Seen[], path: string) =>
  seen
    .filter((s) => s.url.includes(path) && s.method === "POST")
    .map((s) => JSON.parse(s.body!) as Record<string, unknown>);

describe("start / status / result across processes", () => {
  it.each(["freepik", "fal", "chainhub", "ideogram", "onemin"] as const)(
    "%s: the handle is plain JSON without secrets, and another client finishes the job",
    async (provider) => {
      const handle = await client(provider).start(await makeImage(20, 20));
      const wire = JSON.stringify(handle);
      for (const key of Object.values(apiKeys)) expect(wire).not.toContain(key);
      // "Another process": a new client, the handle parsed back from text.
      const other = client(provider);
      const copy = JSON.parse(wire) as OperationHandle;
      let status = await other.status(copy);
      for (let i = 0; i < 200 && !["succeeded", "failed"].includes(status.state); i++) {
        await h.clock.sleep(2_000);
        status = await other.status(copy);
      }
      expect(status.state).toBe("succeeded");
      const result = await other.result(copy);
      expect(result).toMatchObject({ provider, taskId: handle.id });
      expect(await dimensionsOf(await result.download())).toMatchObject({ width: 40, height: 40 });
    },
  );

  it("result() on a job still running says so and is retryable", async () => {
    const upscaler = client("freepik");
    const handle = await upscaler.start(await makeImage(20, 20));
    await expect(upscaler.result(handle)).rejects.toMatchObject({
      retryable: true,
      message: /still CREATED/,
    });
  });

  it("a tampered handle is refused before any request", async () => {
    await expect(
      client("freepik").status({ provider: "freepik" } as unknown as OperationHandle),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});

describe("input forms", () => {
  it("file path, Blob, ArrayBuffer, data URI and URL all work", async () => {
    const image = await makeImage(12, 10);
    const dir = await mkdtemp(join(tmpdir(), "upscale-"));
    const path = join(dir, "in.png");
    await writeFile(path, image);
    const upscaler = client("ideogram");
    const first = await upscaler.upscale(path);
    const inputs = [
      new Blob([image], { type: "image/png" }),
      image.buffer,
      `data:image/png;base64,${Buffer.from(image).toString("base64")}`,
      new URL(first.images[0]!.url),
      first.images[0]!.url,
    ];
    for (const input of inputs) {
      const result = await upscaler.upscale(input);
      expect(result.images[0]!.width).toBeGreaterThanOrEqual(24);
    }
  });

  it("a missing file or a non-image is a ValidationError naming the fix", async () => {
    await expect(client("ideogram").upscale("/nope/missing.png")).rejects.toThrow(
      /does not exist\. Check the path\./,
    );
    await expect(client("ideogram").upscale(new TextEncoder().encode("GIF89a"))).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("freepik creative gets base64 (a URL input is downloaded first); precision-v2 gets the URL as it is", async () => {
    const source = (await client("ideogram").upscale(await makeImage(10, 10))).images[0]!.url;
    const { seen, fetch } = recorder();
    await client("freepik", { fetch }).upscale(source);
    const [creative] = jsonBodies(seen, "/v1/ai/image-upscaler");
    expect(creative!.image).toMatch(/^[A-Za-z0-9+/]+=*$/);
    await client("freepik", { fetch }).upscale(source, {
      providerOptions: { freepik: { endpoint: "precision-v2" } },
    });
    const [v2] = jsonBodies(seen, "/image-upscaler-precision-v2");
    expect(v2!.image).toBe(source);
  });

  it("fal gets a URL as image_url, small bytes as a data URI, large ones through storage", async () => {
    const { seen, fetch } = recorder();
    await client("fal", { fetch }).upscale(await makeImage(10, 10));
    expect(jsonBodies(seen, "queue.fal.run")[0]!.image_url).toMatch(/^data:image\/png;base64,/);
    seen.length = 0;
    await client("fal", { fetch }).upscale(await makeImage(10, 10), {
      providerOptions: { fal: { dataUriMaxBytes: 10 } },
    });
    const put = seen.find((s) => s.method === "PUT")!;
    expect(new URL(put.url).host).toBe("v3.fal.media");
    expect(put.headers.get("authorization")).toBeNull();
    expect(jsonBodies(seen, "queue.fal.run")[0]!.image_url).toMatch(/^https:\/\/v3\.fal\.media\/files\//);
  });

  it("1min.ai: asset upload, then the feature call on its key; relative result keys resolve on the asset host", async () => {
    const { seen, fetch } = recorder();
    const result = await client("onemin", { fetch }).upscale(await makeImage(10, 10), { numImages: 2 });
    const feature = jsonBodies(seen, "/api/features")[0] as {
      promptObject: { imageUrl: string; num_images: number };
    };
    expect(feature.promptObject.imageUrl).toMatch(/^images\//);
    expect(feature.promptObject.num_images).toBe(2);
    expect(result.images).toHaveLength(2);
    for (const image of result.images) expect(image.url).toMatch(/^https:\/\/asset\.1min\.ai\/images\//);
  });
});

describe("option mapping and warnings", () => {
  it("freepik: 0–100 knobs onto −10..10 (50 ↦ 0), scale to the nearest factor, seed and numImages dropped", async () => {
    const { seen, fetch } = recorder();
    const result = await client("freepik", { fetch }).upscale(await makeImage(10, 10), {
      scale: 3,
      resemblance: 100,
      detail: 50,
      seed: 7,
      numImages: 2,
      prompt: "sharp",
      providerOptions: { freepik: { creativity: 14, engine: "magnific_sparkle" } },
    });
    expect(jsonBodies(seen, "/v1/ai/image-upscaler")[0]).toMatchObject({
      scale_factor: "4x",
      resemblance: 10,
      hdr: 0,
      creativity: 10,
      engine: "magnific_sparkle",
      prompt: "sharp",
    });
    expect(result.images[0]).toMatchObject({ width: 40, height: 40 });
    expect(result.warnings.join("\n")).toMatch(/scale 3 .* 4x/);
    expect(result.warnings.join("\n")).toMatch(/seed was dropped/);
    expect(result.warnings.join("\n")).toMatch(/numImages 2 was dropped/);
    expect(result.warnings.join("\n")).toMatch(/creativity 14 was clamped to 10/);
  });

  it("freepik: a factor over 25.3 million output pixels is lowered; one that cannot fit is refused before sending", async () => {
    const result = await client("freepik").upscale(await makeImage(1300, 1300, "jpeg"), { scale: 4 });
    expect(result.images[0]).toMatchObject({ width: 2600, height: 2600 });
    expect(result.warnings.join("\n")).toMatch(/lowered to 2/);
    const { seen, fetch } = recorder();
    await expect(client("freepik", { fetch }).upscale(pngDeclaring(6000, 6000))).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(seen).toEqual([]);
  });

  it("ideogram family: 2x only, knobs clamped to 1–100", async () => {
    const { seen, fetch } = recorder();
    const result = await client("chainhub", { fetch }).upscale(await makeImage(10, 10), {
      scale: 4,
      resemblance: 0,
      detail: 130,
    });
    const form = seen.find((s) => s.method === "POST")!.body!;
    expect(form).toContain('"resemblance":1');
    expect(form).toContain('"detail":100');
    expect(result.images[0]).toMatchObject({ width: 20, height: 20 });
    expect(result.warnings.join("\n")).toMatch(/only upscales 2x/);
    expect(result.warnings.join("\n")).toMatch(/detail 130 was clamped to 100/);
  });

  it("fal: numImages is dropped with a warning; format mismatches are reported", async () => {
    const result = await client("fal").upscale(await makeImage(10, 10), { numImages: 3, format: "webp" });
    expect(result.images).toHaveLength(1);
    expect(result.warnings.join("\n")).toMatch(/numImages 3 was dropped: fal returns one image per run/);
    expect(result.warnings.join("\n")).toMatch(/format webp was asked for/);
  });

  it("ideogram: several images, and an all-unsafe answer is a ContentPolicyError", async () => {
    const result = await client("ideogram").upscale(await makeImage(10, 10), { numImages: 2, seed: 5 });
    expect(result.images).toHaveLength(2);
    expect(result.seed).toBe(5);
    await expect(
      client("ideogram").upscale(await makeImage(10, 10), { prompt: "an unsafe picture" }),
    ).rejects.toBeInstanceOf(ContentPolicyError);
  });
});

describe("chainhub answer modes", () => {
  it("pass-through answers (Ideogram's body) are understood, and a pinned mode that does not match is a ContractError", async () => {
    h.simulator.namespace().settings.set("chainhub.mode", "passthrough");
    const handle = await client("chainhub").start(await makeImage(10, 10));
    expect(handle.state).toBe("done");
    expect((await client("chainhub").result(handle)).images).toHaveLength(1);
    await expect(
      client("chainhub").upscale(await makeImage(10, 10), {
        providerOptions: { chainhub: { mode: "task" } },
      }),
    ).rejects.toBeInstanceOf(ContractError);
    h.simulator.namespace().settings.delete("chainhub.mode");
  });
});

describe("fal specifics", () => {
  it("an inline (sync_mode) result whose answer states no size is measured from its bytes", async () => {
    // A URL input: the client knows no input size to estimate from.
    const stored = await client("fal").upscale(await makeImage(12, 10), {
      providerOptions: { fal: { sync_mode: false } },
    });
    const { fetch } = recorder(async (_request, response) => {
      if (!response.headers.get("content-type")?.includes("json")) return response;
      const body = (await response.json()) as { images?: Array<Record<string, unknown>> };
      for (const image of body.images ?? []) {
        delete image.width;
        delete image.height;
      }
      return Response.json(body, { status: response.status, headers: response.headers });
    });
    const result = await client("fal", { fetch }).upscale(stored.images[0]!.url, {
      providerOptions: { fal: { sync_mode: true } },
    });
    expect(result.images[0]!.url).toMatch(/^data:image\//);
    expect(result.images[0]).toMatchObject({ width: 48, height: 40, contentType: "image/png" });
  });

  it("progress: queued with position, running with log lines, done", async () => {
    const events: ProgressEvent[] = [];
    await client("fal", { onProgress: (e) => events.push(e) }).upscale(await makeImage(16, 16));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe("submitted");
    expect(types).toContain("running");
    expect(types.at(-1)).toBe("done");
    const logs = events.flatMap((e) => (e.type === "running" ? e.logs : []));
    expect(logs.map((l) => l.message)).toContain("Downloading input image...");
  });

  it("COMPLETED then 422 on the result is a ContentPolicyError, not a success", async () => {
    h.simulator.setScenario("default", "fal", "task-failure");
    // A status that says COMPLETED without the error fields, as fal's may: only the result tells.
    const { fetch } = recorder(async (request, response) => {
      if (!request.url.endsWith("/status?logs=1")) return response;
      const body = (await response.json()) as Record<string, unknown>;
      delete body.error;
      delete body.error_type;
      return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
    });
    const error = await client("fal", { fetch })
      .upscale(await makeImage(16, 16))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ContentPolicyError);
    expect(error).toMatchObject({ status: 422, errorType: "content_policy_violation" });
  });

  it("an abort stops the wait and cancels the run", async () => {
    h.simulator.setScenario("default", "fal", "stuck");
    const controller = new AbortController();
    let id = "";
    const upscaler = client("fal", {
      onProgress: (e) => {
        if (e.type === "submitted") id = e.id;
        if (e.type === "queued") controller.abort(new Error("caller gave up"));
      },
    });
    await expect(upscaler.upscale(await makeImage(16, 16), { signal: controller.signal })).rejects.toThrow(
      "caller gave up",
    );
    expect(h.simulator.namespace().tasks.get(id)?.cancelledAt).toBeDefined();
  });

  it("cancel() on a running job; a status URL off the configured queue host is refused", async () => {
    const upscaler = client("fal");
    const handle = await upscaler.start(await makeImage(16, 16));
    expect(await upscaler.cancel(handle)).toBe(true);
    expect((await upscaler.status(handle)).state).toBe("canceled");
    const { seen, fetch } = recorder();
    const evil = {
      ...handle,
      urls: { ...handle.urls, status: "https://evil.example/fal-ai/ideogram/requests/x/status" },
    };
    await expect(client("fal", { fetch }).status(evil)).rejects.toBeInstanceOf(UnsafeUrlError);
    expect(seen).toEqual([]);
  });
});

describe("safety of URLs and credentials", () => {
  it("a redirect from the API is reported, not followed, so the key never leaves the API origin", async () => {
    const listen = async (answer: (url: string, headers: Record<string, unknown>) => [number, string?]) => {
      const seen: Array<{ url: string; key: unknown }> = [];
      const server = createServer((request, response) => {
        seen.push({ url: request.url ?? "", key: request.headers["x-freepik-api-key"] });
        const [status, location] = answer(request.url ?? "", request.headers);
        response.writeHead(status, location ? { location } : {}).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { seen, server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
    };
    const elsewhere = await listen(() => [200]);
    const api = await listen(() => [307, `${elsewhere.origin}/collect?sig=secret-signature`]);
    try {
      const error = await createUpscaler({
        provider: "freepik",
        apiKeys,
        clock: h.clock,
        baseUrls: { freepik: api.origin },
      })
        .upscale(await makeImage(8, 8))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 307, retryable: false });
      expect((error as Error).message).toContain(`redirect to ${elsewhere.origin}/collect`);
      expect((error as Error).message).not.toContain("secret-signature");
      expect(api.seen).toEqual([{ url: "/v1/ai/image-upscaler", key: apiKeys.freepik }]);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      api.server.close();
      elsewhere.server.close();
    }
  });

  it("credentials go to the API origin only, never to result or upload hosts", async () => {
    for (const provider of ["freepik", "fal", "onemin", "chainhub", "ideogram"] as const) {
      const { seen, fetch } = recorder();
      const result = await client(provider, { fetch }).upscale(await makeImage(10, 10), {
        providerOptions: { fal: { upload: "storage" } },
      });
      await result.download();
      const apiHosts = [
        "api.freepik.com",
        "queue.fal.run",
        "rest.fal.ai",
        "api.1min.ai",
        "api.chainhub.tech",
        "api.ideogram.ai",
      ];
      for (const s of seen) {
        const credentialed = ["x-freepik-api-key", "authorization", "api-key"].some((n) => s.headers.has(n));
        expect(credentialed, `${s.method} ${s.url}`).toBe(apiHosts.includes(new URL(s.url).host));
      }
    }
  });

  it("a result URL off the provider's origins and CDNs is not fetched", async () => {
    const { seen, fetch } = recorder(async (request, response) => {
      if (!/image-upscaler\/[0-9a-f-]{36}$/.test(request.url)) return response;
      const body = (await response.json()) as { data: { generated: string[] } };
      body.data.generated = body.data.generated.map(() => "https://attacker.example/steal.png");
      return Response.json(body, { status: response.status });
    });
    const result = await client("freepik", { fetch }).upscale(await makeImage(10, 10));
    await expect(result.download()).rejects.toBeInstanceOf(UnsafeUrlError);
    expect(seen.some((s) => s.url.includes("attacker.example"))).toBe(false);
  });
});

describe("keys never leak", () => {
  const key = "sk-KNOWN-SECRET-0123456789";
  it("not in errors, their bodies, raw results, handles or logs", async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, d?: object) => lines.push(m, JSON.stringify(d)),
      info: (m: string, d?: object) => lines.push(m, JSON.stringify(d)),
      warn: (m: string, d?: object) => lines.push(m, JSON.stringify(d)),
    };
    // A provider that echoes the key back in its error body and in a 2xx body.
    const { fetch } = recorder(async (request, response) => {
      if (request.url.endsWith("/v1/ai/image-upscaler")) {
        return Response.json(
          { message: `Invalid API key ${request.headers.get("x-freepik-api-key")}` },
          { status: 401 },
        );
      }
      return response;
    });
    const upscaler = createUpscaler({
      provider: "freepik",
      apiKeys: { freepik: key },
      clock: h.clock,
      fetch,
      logger,
    });
    const error = (await upscaler.upscale(await makeImage(8, 8)).catch((e: unknown) => e)) as Error & {
      body: unknown;
    };
    expect(error.message).not.toContain(key);
    expect(JSON.stringify(error.body)).not.toContain(key);
    expect(JSON.stringify(error.body)).toContain("[redacted]");

    const fal = createUpscaler({ provider: "fal", apiKeys: { fal: key }, clock: h.clock, logger });
    const handle = await fal.start(await makeImage(8, 8));
    expect(JSON.stringify(handle)).not.toContain(key);
    const result = await fal.wait(handle);
    expect(JSON.stringify(result)).not.toContain(key);
    h.simulator.setScenario("default", "fal", "auth-failure");
    const denied = (await fal.upscale(await makeImage(8, 8)).catch((e: unknown) => e)) as Error;
    expect(`${denied.message} ${JSON.stringify(denied)}`).not.toContain(key);
    expect(lines.join("\n")).not.toContain(key);
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe("retries wait on the clock", () => {
  it("a submit refused before it was sent is retried with backoff; the clock moves by the waits", async () => {
    // A port that was free a moment ago: connections to it are refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const events: ProgressEvent[] = [];
    const before = h.clock.now();
    const error = await createUpscaler({
      provider: "freepik",
      apiKeys,
      clock: h.clock,
      baseUrls: { freepik: `http://127.0.0.1:${port}` },
      retry: { maxAttempts: 3, baseDelayMs: 1_000, jitter: 0 },
      onProgress: (e) => events.push(e),
    })
      .upscale(await makeImage(8, 8))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ sent: false });
    expect(events.filter((e) => e.type === "retry").map((e) => (e as { delayMs: number }).delayMs)).toEqual([
      1_000, 2_000,
    ]);
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(3_000);
  });

  it("chainhub: a 200 carrying a retryable error code (5001 busy) is retried like the 503 it stands for", async () => {
    let rewritten = 0;
    const { fetch } = recorder(async (request, response) => {
      if (request.method !== "GET" || !request.url.includes("/ideogram/upscale/") || rewritten > 0) {
        return response;
      }
      rewritten++;
      const busy = { code: 5001, message: "Service busy, retry later.", request_id: "req-busy" };
      return new Response(JSON.stringify(busy), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    });
    const events: ProgressEvent[] = [];
    const upscaler = client("chainhub", {
      fetch,
      retry: { baseDelayMs: 1_000, jitter: 0 },
      onProgress: (e) => events.push(e),
    });
    const handle = await upscaler.start(await makeImage(16, 16));
    const result = await upscaler.wait(handle);
    expect(rewritten).toBe(1);
    expect(result.images).toHaveLength(1);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: "retry",
        operation: "read the task status",
        attempt: 1,
        delayMs: 1_000,
      }),
    );
  });
});

describe("circuit breaker", () => {
  it("opens after consecutive failures, skips the provider, half-opens after the cool-down on the clock", async () => {
    h.simulator.setScenario("default", "freepik", "outage");
    const upscaler = createUpscaler({
      providers: ["freepik", "ideogram"],
      apiKeys,
      clock: h.clock,
      circuitBreaker: { failureThreshold: 2, coolDownMs: 30_000 },
    });
    const journal = () => h.simulator.namespace().journal.list({ provider: "freepik" }).length;
    for (let i = 0; i < 2; i++)
      expect((await upscaler.upscale(await makeImage(8, 8))).provider).toBe("ideogram");
    expect(upscaler.circuitState("freepik")).toBe("open");
    const calls = journal();
    const skipped = await upscaler.upscale(await makeImage(8, 8));
    expect(skipped).toMatchObject({ provider: "ideogram", tried: ["ideogram"] });
    expect(journal()).toBe(calls);

    await h.clock.advance(30_000);
    expect(upscaler.circuitState("freepik")).toBe("half-open");
    h.simulator.clearScenario("default", "freepik");
    const trial = await upscaler.upscale(await makeImage(8, 8));
    expect(trial.provider).toBe("freepik");
    expect(upscaler.circuitState("freepik")).toBe("closed");
  });
});
