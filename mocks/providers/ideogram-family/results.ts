/**
 * What an Ideogram-family upscale produces: `num_images` results, each its own real 2x output
 * (reserved in the output store, rendered by sharp), with the seed and resolutions reported.
 *
 * Safety, deterministically: a `prompt` containing the word "unsafe" (any case) makes every
 * result fail the output safety check (Ideogram: `is_image_safe: false`, `url: null`; chainhub
 * task mode: a `failed` task). The `task-failure` preset is the input safety check refusing the
 * request (Ideogram: 422).
 */
import type { UpscaleImageRequest } from "../../../src/providers/ideogram/schemas.ts";
import { maxSeed } from "../../../src/providers/ideogram/schemas.ts";
import type { RouteContext } from "../../engine/provider.ts";
import { sampleDuration } from "../common/lifecycle.ts";
import { reserveUpscale } from "../common/render.ts";
import type { FamilyRequest } from "./request.ts";

/** Ideogram upscales "up to 2x"; the simulators always double (fal and 1min.ai resell it too). */
export const upscaleFactor = 2;
/** Result links live about 24 h. */
export const resultTtlMs = 24 * 60 * 60 * 1000;
/** docs/providers.md "ideogram": 5–20 s per upscale. */
export const workMs: [number, number] = [5_000, 20_000];
export const safetyCheckMessage = "Prompt or initial image failed safety check.";

export interface FamilyResult {
  /** The reserved output; absent when the result failed the safety check. */
  outputId?: string;
  prompt: string;
  seed: number;
  resolution: string;
  upscaled_resolution: string;
  safe: boolean;
}

export function isUnsafePrompt(prompt: string | undefined): boolean {
  return prompt !== undefined && /\bunsafe\b/i.test(prompt);
}

/** The prompt Ideogram reports back: MagicPrompt expands it when ON, or writes one when absent. */
function reportedPrompt(settings: UpscaleImageRequest): string {
  const prompt = settings.prompt?.trim();
  const magic = settings.magic_prompt_option ?? "AUTO";
  if (!prompt) return magic === "OFF" ? "" : "A detailed, high-resolution rendition of the input image.";
  return magic === "ON" ? `${prompt}. Crisp detail, natural texture, high resolution.` : prompt;
}

export function sampleWorkMs(ctx: RouteContext): number {
  return sampleDuration(ctx, workMs);
}

/** Plans (and, for safe results, reserves) one result per requested image. */
export function produceResults(ctx: RouteContext, request: FamilyRequest): FamilyResult[] {
  const { settings, width, height } = request;
  const safe = !isUnsafePrompt(settings.prompt);
  const prompt = reportedPrompt(settings);
  const results: FamilyResult[] = [];
  for (let index = 0; index < request.numImages; index++) {
    const seed = settings.seed ?? Math.floor(ctx.ns.random() * (maxSeed + 1));
    results.push({
      ...(safe
        ? {
            outputId: reserveUpscale(ctx, {
              input: request.image,
              scale: upscaleFactor,
              ttlMs: resultTtlMs,
              // Ideogram's links are .png and so are its results, whatever came in.
              format: "png",
            }),
          }
        : {}),
      prompt,
      seed,
      resolution: `${width}x${height}`,
      upscaled_resolution: `${width * upscaleFactor}x${height * upscaleFactor}`,
      safe,
    });
  }
  return results;
}
