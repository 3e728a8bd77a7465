/**
 * `POST /api/features` with IMAGE_UPSCALER / ideogram-3: a sync call that blocks for the run
 * (10–60 s on the namespace clock) and answers the aiRecord. Results are 2x upscales listed in
 * `resultObject` as RELATIVE asset keys, served on asset.1min.ai (docs/providers.md "onemin").
 */
import { createHmac, randomUUID } from "node:crypto";
import { maxSeed } from "../../../src/providers/ideogram/schemas.ts";
import { FeatureRequest, type PromptObject } from "../../../src/providers/onemin/schemas.ts";
import { inspectImage } from "../../engine/images.ts";
import type { Route, RouteContext } from "../../engine/provider.ts";
import { hang, json, type SimResponse } from "../../engine/sim-http.ts";
import { readInputUrl } from "../common/input-url.ts";
import { fateFromFaults, hasFault, sampleDuration } from "../common/lifecycle.ts";
import { reserveUpscale } from "../common/render.ts";
import { parseJsonRequest } from "../common/validation.ts";
import { upscaleFactor } from "../ideogram-family/results.ts";
import { message, texts } from "./answers.ts";
import { assetLocation, assetTtlMs, isIssuedKey, keyStamp, readAsset, resultKey } from "./assets.ts";
import { perKeyRateLimit } from "./rate-limit.ts";

/** docs/providers.md "onemin": 1min.ai runs take 10–60 s. */
const runMs: [number, number] = [10_000, 60_000];

/**
 * The source image: an asset key of this namespace, an absolute URL this simulator serves, or a
 * remote input (a stand-in by default): any other URL, or a relative path never uploaded such as
 * the documentation's `development/images/low_res_photo.png`. Keys shaped like the ones this
 * simulator hands out stay "Asset not found" when missing: that is a real mistake to surface.
 */
async function sourceImage(ctx: RouteContext, imageUrl: string): Promise<Uint8Array | undefined> {
  if (/^[a-z][a-z0-9+.-]*:/i.test(imageUrl)) {
    if (!/^https?:\/\//i.test(imageUrl)) return undefined;
    return readInputUrl(ctx, imageUrl);
  }
  const asset = await readAsset(ctx, imageUrl);
  if (asset || isIssuedKey(imageUrl)) return asset;
  const remote = await ctx.remoteInput(imageUrl);
  return remote?.ok ? remote.data : undefined;
}

/** An S3-style presigned URL of the first result (1min.ai's `temporaryUrl`). */
function temporaryUrl(ctx: RouteContext, key: string, at: number): string {
  const amzDate = new Date(at)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const signature = createHmac("sha256", ctx.sim.linkSecret).update(`${key}:${amzDate}`).digest("hex");
  const query = new URLSearchParams({
    "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
    "X-Amz-Date": amzDate,
    "X-Amz-Expires": String(Math.floor(assetTtlMs / 1000)),
    "X-Amz-SignedHeaders": "host",
    "X-Amz-Signature": signature,
  });
  return `${assetLocation(ctx, key)}?${query}`;
}

function record(promptObject: PromptObject, status: "SUCCESS" | "FAILED", detail: object) {
  return {
    uuid: randomUUID(),
    model: "ideogram-3",
    type: "IMAGE_UPSCALER",
    status,
    aiRecordDetail: { promptObject, ...detail },
  };
}

export const featureRoute: Route = {
  host: "api",
  method: "POST",
  path: "/api/features",
  operation: "runFeature",
  phase: "submit",
  rateLimit: perKeyRateLimit,
  async handle(ctx): Promise<SimResponse> {
    const parsed = parseJsonRequest(ctx.req, FeatureRequest);
    if (!parsed.ok) {
      if (parsed.kind === "invalid")
        return message(400, parsed.issues.map((issue) => `${issue.name}: ${issue.reason}`).join("; "));
      return message(400, parsed.reason);
    }
    const { promptObject } = parsed.value;
    if (hasFault(ctx, "no-credit")) return message(402, texts.noCredit);

    const input = await sourceImage(ctx, promptObject.imageUrl);
    if (!input) return message(400, `Asset not found: ${promptObject.imageUrl}`);
    const inspected = await inspectImage(input, {
      maxInputBytes: ctx.sim.limits.maxUploadBytes,
      maxInputPixels: ctx.sim.limits.maxInputPixels,
    });
    if (!inspected.ok) return message(400, `Invalid image at ${promptObject.imageUrl}: ${inspected.reason}`);

    const fate = fateFromFaults(ctx, "The upscale failed.");
    // A run that never finishes holds the request open until the client gives up.
    if (fate.kind === "stuck") return hang();
    await ctx.work(sampleDuration(ctx, runMs));
    const now = ctx.ns.clock.now();
    const created = new Date(now).toISOString();
    if (fate.kind === "failure") {
      return json(200, {
        aiRecord: record(promptObject, "FAILED", { resultObject: [], responseObject: { created, data: [] } }),
      });
    }

    const stamp = keyStamp(now);
    const resolution = `${inspected.width}x${inspected.height}`;
    const upscaled = `${inspected.width * upscaleFactor}x${inspected.height * upscaleFactor}`;
    const keys: string[] = [];
    const data = [];
    for (let i = 0; i < promptObject.num_images; i++) {
      const outputId = reserveUpscale(ctx, { input, scale: upscaleFactor, ttlMs: assetTtlMs });
      const key = resultKey(stamp, outputId, inspected.format);
      keys.push(key);
      data.push({
        url: assetLocation(ctx, key),
        prompt: promptObject.prompt ?? "",
        resolution,
        upscaled_resolution: upscaled,
        is_image_safe: true,
        seed:
          promptObject.seed !== undefined
            ? (promptObject.seed + i) % (maxSeed + 1)
            : Math.floor(ctx.ns.random() * maxSeed),
      });
    }
    return json(200, {
      aiRecord: record(promptObject, "SUCCESS", { resultObject: keys, responseObject: { created, data } }),
      temporaryUrl: temporaryUrl(ctx, keys[0]!, now),
    });
  },
};
