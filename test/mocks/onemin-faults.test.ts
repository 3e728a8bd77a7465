/**
 * 1min.ai simulator under every fault preset (x-mock-scenario): each one answers in 1min.ai's
 * own words — `{message}` JSON on api.1min.ai, S3 XML errors on asset.1min.ai.
 */
import { describe, expect, it } from "vitest";
import { presetNames } from "../../mocks/engine/faults.ts";
import { onemin } from "../../mocks/providers/onemin/definition.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { AssetUploadResponse, FeatureResponse } from "../../src/providers/onemin/schemas.ts";
import { useSimulators } from "../helpers/harness.ts";

const api = "https://api.1min.ai";
const assetHost = "https://asset.1min.ai";
const key = { "API-KEY": "test-key" };

const h = useSimulators({ definitions: [onemin] });

const uploaded = async (res: Response) => AssetUploadResponse.parse(await res.json());
const finished = async (res: Response) => FeatureResponse.parse(await res.json());
const scenario = (preset: string) => ({ "x-mock-scenario": preset });

async function upload(headers: Record<string, string> = {}, width = 24, height = 16): Promise<Response> {
  const form = new FormData();
  const image = await makeImage(width, height);
  form.append("asset", new Blob([image as Uint8Array<ArrayBuffer>], { type: "image/png" }), "photo.png");
  return fetch(`${api}/api/assets`, { method: "POST", headers: { ...key, ...headers }, body: form });
}

async function uploadKey(): Promise<string> {
  const res = await upload();
  expect(res.status).toBe(200);
  return (await uploaded(res)).fileContent.path;
}

function feature(imageUrl: string, headers: Record<string, string> = {}, signal?: AbortSignal) {
  return fetch(`${api}/api/features`, {
    method: "POST",
    headers: { ...key, "content-type": "application/json", ...headers },
    body: JSON.stringify({
      type: "IMAGE_UPSCALER",
      model: "ideogram-3",
      promptObject: { imageUrl, num_images: 1 },
    }),
    ...(signal ? { signal } : {}),
  });
}

async function resultKey(): Promise<string> {
  const res = await feature(await uploadKey());
  expect(res.status).toBe(200);
  return (await finished(res)).aiRecord.aiRecordDetail.resultObject[0]!;
}

async function expectMessage(res: Response, status: number, text: string | RegExp) {
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual({ message: expect.stringMatching(text) });
}

async function expectS3(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/xml");
  expect(await res.text()).toContain(`<Code>${code}</Code>`);
}

describe("onemin fault presets", () => {
  it("covers every preset", () => {
    expect(presetNames.sort()).toEqual(
      [
        "healthy",
        "slow",
        "flaky",
        "outage",
        "rate-limited",
        "auth-failure",
        "task-failure",
        "stuck",
        "malformed",
        "timeout",
        "reset",
        "no-credit",
        "expired-urls",
        "webhook-chaos",
      ].sort(),
    );
  });

  it("healthy: upload and feature call succeed", async () => {
    const res = await upload(scenario("healthy"));
    expect(res.status).toBe(200);
    const path = (await uploaded(res)).fileContent.path;
    const run = await feature(path, scenario("healthy"));
    expect(run.status).toBe(200);
    expect((await finished(run)).aiRecord.status).toBe("SUCCESS");
  });

  it("slow: every phase answers, later on the clock", async () => {
    const started = h.clock.now();
    const res = await upload(scenario("slow"));
    expect(res.status).toBe(200);
    expect(h.clock.now()).toBeGreaterThan(started);
    const k = await resultKey();
    const at = h.clock.now();
    const got = await fetch(`${assetHost}/${k}`, { headers: scenario("slow") });
    expect(got.status).toBe(200);
    expect(h.clock.now()).toBeGreaterThan(at);
    expect(await dimensionsOf(new Uint8Array(await got.arrayBuffer()))).toMatchObject({
      width: 48,
      height: 32,
    });
  });

  it("flaky: some feature calls answer 503 {message}, the rest go through (seeded)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`${api}/api/features`, {
        method: "POST",
        headers: { ...key, "content-type": "application/json", ...scenario("flaky") },
        body: "{",
      });
      statuses.push(res.status);
      if (res.status === 503) await expectMessage(res, 503, /temporarily unavailable/);
      else await expectMessage(res, 400, /JSON/);
    }
    expect(statuses).toContain(503);
    expect(statuses).toContain(400);
  });

  it("outage: 503 {message} on the API, S3 ServiceUnavailable on the asset host", async () => {
    const k = await resultKey();
    await expectMessage(
      await upload(scenario("outage")),
      503,
      "Service temporarily unavailable. Please try again later.",
    );
    await expectMessage(await feature("images/x.png", scenario("outage")), 503, /temporarily unavailable/);
    await expectS3(
      await fetch(`${assetHost}/${k}`, { headers: scenario("outage") }),
      503,
      "ServiceUnavailable",
    );
  });

  it("rate-limited: the first two feature calls get 429 {message} + Retry-After, then it recovers", async () => {
    const path = await uploadKey();
    for (let i = 0; i < 2; i++) {
      const res = await feature(path, scenario("rate-limited"));
      expect(res.headers.get("retry-after")).toBe("2");
      await expectMessage(res, 429, "Too many requests. Limit is 180 requests per minute.");
    }
    const res = await feature(path, scenario("rate-limited"));
    expect(res.status).toBe(200);
  });

  it("auth-failure: 401 {message} on the API, S3 AccessDenied on the asset host", async () => {
    const k = await resultKey();
    await expectMessage(await upload(scenario("auth-failure")), 401, "Unauthorized");
    await expectMessage(await feature("images/x.png", scenario("auth-failure")), 401, "Unauthorized");
    await expectS3(
      await fetch(`${assetHost}/${k}`, { headers: scenario("auth-failure") }),
      403,
      "AccessDenied",
    );
  });

  it("task-failure: 200 with a FAILED record, no results", async () => {
    const path = await uploadKey();
    const started = h.clock.now();
    const res = await feature(path, scenario("task-failure"));
    expect(res.status).toBe(200);
    expect(h.clock.now() - started).toBeGreaterThanOrEqual(10_000);
    const body = await finished(res);
    expect(body.temporaryUrl).toBeUndefined();
    expect(body.aiRecord).toMatchObject({
      model: "ideogram-3",
      type: "IMAGE_UPSCALER",
      status: "FAILED",
      aiRecordDetail: {
        promptObject: { imageUrl: path, num_images: 1 },
        resultObject: [],
        responseObject: { data: [] },
      },
    });
  });

  it("stuck: the blocking call never answers; the client's timeout fires", async () => {
    const path = await uploadKey();
    await expect(feature(path, scenario("stuck"), AbortSignal.timeout(300))).rejects.toThrow(
      /abort|timeout/i,
    );
    // The next call without the scenario is answered.
    expect((await feature(path)).status).toBe(200);
  });

  it("malformed: a 200 whose body breaks the spec", async () => {
    const path = await uploadKey();
    const before = h.violations.length;
    const res = await feature(path, scenario("malformed"));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ aiRecord: null, temporaryUrl: null });
    // The harness saw the broken body; that is the point of the preset, so take it off the list.
    expect(h.violations.length).toBeGreaterThan(before);
    h.violations.splice(before);
  });

  it("timeout: requests hang until the client gives up", async () => {
    const signal = () => AbortSignal.timeout(300);
    await expect(
      fetch(`${api}/api/assets`, {
        method: "POST",
        headers: { ...key, ...scenario("timeout") },
        signal: signal(),
      }),
    ).rejects.toThrow(/abort|timeout/i);
    await expect(feature("images/x.png", scenario("timeout"), signal())).rejects.toThrow(/abort|timeout/i);
  });

  it("reset: the first attempt of each phase is dropped, the retry is answered", async () => {
    await expect(upload(scenario("reset"))).rejects.toThrow(TypeError);
    const res = await upload(scenario("reset"));
    expect(res.status).toBe(200);
    const path = (await uploaded(res)).fileContent.path;
    await expect(feature(path, scenario("reset"))).rejects.toThrow(TypeError);
    const run = await feature(path, scenario("reset"));
    expect(run.status).toBe(200);
    const k = (await finished(run)).aiRecord.aiRecordDetail.resultObject[0];
    await expect(fetch(`${assetHost}/${k}`, { headers: scenario("reset") })).rejects.toThrow(TypeError);
    expect((await fetch(`${assetHost}/${k}`, { headers: scenario("reset") })).status).toBe(200);
  });

  it("no-credit: the feature call answers 402 {message}; uploads still work", async () => {
    const res = await upload(scenario("no-credit"));
    expect(res.status).toBe(200);
    const path = (await uploaded(res)).fileContent.path;
    const started = h.clock.now();
    await expectMessage(
      await feature(path, scenario("no-credit")),
      402,
      "Insufficient credits. Please top up your account to continue.",
    );
    expect(h.clock.now()).toBe(started);
  });

  it("expired-urls: result downloads answer S3 AccessDenied (expired)", async () => {
    const k = await resultKey();
    const res = await fetch(`${assetHost}/${k}`, { headers: scenario("expired-urls") });
    await expectS3(res.clone(), 403, "AccessDenied");
    expect(await res.text()).toContain("Request has expired");
    expect((await fetch(`${assetHost}/${k}`)).status).toBe(200);
  });

  it("webhook-chaos: 1min.ai sends no webhooks, so calls are unaffected", async () => {
    const res = await upload(scenario("webhook-chaos"));
    expect(res.status).toBe(200);
    const path = (await uploaded(res)).fileContent.path;
    const run = await feature(path, scenario("webhook-chaos"));
    expect(run.status).toBe(200);
    expect((await finished(run)).aiRecord.status).toBe("SUCCESS");
  });

  it("rejects an unknown preset name", async () => {
    await expectMessage(
      await upload(scenario("no-such-preset")),
      400,
      /^Unknown scenario preset\(s\).*no-such-preset/,
    );
  });
});
