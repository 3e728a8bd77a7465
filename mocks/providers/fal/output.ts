/**
 * The model output: a real 2x upscale, either on fal's CDN (`https://v3.fal.media/files/<bucket>/
 * <id>_image.png`) or, with `sync_mode`, inline as a `data:` URI that never touches the CDN.
 */
import type { File, UpscaleOutput } from "../../../src/providers/fal/schemas.ts";
import { maxSeed } from "../../../src/providers/ideogram/schemas.ts";
import { type ImageFormat, toDataUri } from "../../engine/images.ts";
import type { RouteContext, SimulatorServices } from "../../engine/provider.ts";
import { reserveUpscale } from "../common/render.ts";
import { upscaleFactor } from "../ideogram-family/results.ts";
import type { LoadedImage } from "./input.ts";

/** How long fal's CDN keeps a result [ours: not documented]. */
export const resultTtlMs = 7 * 24 * 60 * 60 * 1000;

const buckets = [
  "monkey",
  "lion",
  "rabbit",
  "zebra",
  "penguin",
  "koala",
  "tiger",
  "elephant",
  "panda",
  "kangaroo",
];

export function pickBucket(random: () => number): string {
  return buckets[Math.floor(random() * buckets.length)] ?? "monkey";
}

const extensions: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", webp: "webp" };

export function mediaPath(bucket: string, id: string, fileName: string): string {
  return `/files/${bucket}/${id}_${fileName}`;
}

/** How a run's output is produced once asked for (queue results and webhooks ask late). */
export type OutputPlan =
  | { kind: "cdn"; outputId: string; url: string; fileName: string; seed: number }
  | { kind: "inline"; input: Uint8Array; fileName: string; seed: number };

export function planOutput(
  ctx: RouteContext,
  image: LoadedImage,
  syncMode: boolean,
  seed: number,
): OutputPlan {
  const fileName = `image.${extensions[image.format]}`;
  if (syncMode) return { kind: "inline", input: image.data, fileName, seed };
  const outputId = reserveUpscale(ctx, { input: image.data, scale: upscaleFactor, ttlMs: resultTtlMs });
  const url = ctx.url("media", mediaPath(pickBucket(ctx.ns.random), outputId, fileName));
  return { kind: "cdn", outputId, url, fileName, seed };
}

/**
 * Renders (or joins the render of) the output of a run in `namespace`; throws if the result was
 * evicted.
 */
export async function buildOutput(
  sim: SimulatorServices,
  plan: OutputPlan,
  namespace: string,
): Promise<UpscaleOutput> {
  let file: File;
  if (plan.kind === "inline") {
    const image = await sim.images.upscale(plan.input, { scale: upscaleFactor });
    file = {
      url: toDataUri(image.data, image.contentType),
      content_type: image.contentType,
      file_name: plan.fileName,
      file_size: image.data.byteLength,
      width: image.width,
      height: image.height,
    };
  } else {
    const stored = await sim.outputs.get(plan.outputId, namespace);
    if (!stored) throw new Error(`Failed to build the output: result ${plan.outputId} is no longer stored.`);
    file = {
      url: plan.url,
      content_type: stored.contentType,
      file_name: plan.fileName,
      file_size: stored.data.byteLength,
      ...(stored.width !== undefined ? { width: stored.width } : {}),
      ...(stored.height !== undefined ? { height: stored.height } : {}),
    };
  }
  return { images: [file], seed: plan.seed };
}

export function randomSeed(random: () => number): number {
  return Math.floor(random() * maxSeed);
}
