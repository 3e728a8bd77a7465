/**
 * The request body for each Magnific upscaler, from the common options and Freepik's own:
 * creative maps resemblance ↦ resemblance and detail ↦ hdr on −10..10 (50 ↦ 0) and takes 2x to
 * 16x; the precision upscalers map detail ↦ ultra_detail (0–100), precision doubles and
 * precision-v2 takes 2x to 16x. Every factor is lowered to fit Freepik's output-pixel cap.
 */
import type { z } from "zod";
import { checkedRequest } from "../../core/adapter.ts";
import { ValidationError } from "../../core/errors.ts";
import { clampInt, nearestScale, percentKnob, signedKnob, type Warnings } from "../../core/mapping.ts";
import { freepikFacts } from "./facts.ts";
import type { FreepikOptions, FreepikUpscaleOptions } from "./options.ts";
import { CreativeUpscaleRequest, PrecisionUpscaleRequest, PrecisionV2UpscaleRequest } from "./schemas.ts";

/** Freepik's output cap: input pixels × scale² (docs/providers.md). */
export const maxOutputPixels = freepikFacts.limits.maxOutputPixels;
const knobHalfRange = freepikFacts.limits.knobMax;

/** What every upscaler's body carries: the image, and the webhook when one is asked for. */
export interface CommonFields {
  image: string;
  webhook_url?: string;
}

/** The input's size, when it is known (bytes sent); a URL input's is not. */
export interface InputSize {
  width: number | undefined;
  height: number | undefined;
}

/** Lowers the factor until the output fits Freepik's cap; refuses when even 2x does not. */
function fitOutputCap(
  scale: number,
  step: (s: number) => number,
  width: number | undefined,
  height: number | undefined,
  warnings: Warnings,
): number {
  if (!width || !height) return scale;
  let s = scale;
  while (width * height * s * s > maxOutputPixels && s > 2) s = step(s);
  if (width * height * s * s > maxOutputPixels) {
    const message = `Failed to prepare the freepik upscale: a ${width}x${height} image at ${s}x would be over Freepik's 25.3 million output pixels. Use a smaller image.`;
    throw new ValidationError(message, {
      provider: "freepik",
      status: 0,
      fieldErrors: [{ field: "scale", message }],
    });
  }
  if (s !== scale)
    warnings.add(
      `scale ${scale} was lowered to ${s}: a ${width}x${height} image at ${scale}x is over Freepik's 25.3 million output pixels.`,
    );
  return s;
}

const checked = <S extends z.ZodType>(schema: S, body: unknown): z.infer<S> =>
  checkedRequest("freepik", schema, body, "Fix providerOptions.freepik");

/** The creative upscaler's body and the factor it will apply. */
export function creativeRequest(
  common: CommonFields,
  options: FreepikUpscaleOptions,
  { width, height }: InputSize,
  warnings: Warnings,
): { body: CreativeUpscaleRequest; scale: number } {
  const native: FreepikOptions = options.providerOptions?.freepik ?? {};
  let scale = nearestScale(options.scale ?? 2, [2, 4, 8, 16], warnings);
  scale = fitOutputCap(scale, (s) => s / 2, width, height, warnings);
  const resemblance =
    native.resemblance ?? signedKnob(options.resemblance, knobHalfRange, "resemblance", warnings);
  const hdr = native.hdr ?? signedKnob(options.detail, knobHalfRange, "detail", warnings);
  const body = checked(CreativeUpscaleRequest, {
    ...common,
    scale_factor: `${scale}x`,
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(resemblance !== undefined
      ? { resemblance: clampInt(resemblance, -10, 10, "resemblance", warnings) }
      : {}),
    ...(hdr !== undefined ? { hdr: clampInt(hdr, -10, 10, "hdr", warnings) } : {}),
    ...(native.creativity !== undefined
      ? { creativity: clampInt(native.creativity, -10, 10, "creativity", warnings) }
      : {}),
    ...(native.fractality !== undefined
      ? { fractality: clampInt(native.fractality, -10, 10, "fractality", warnings) }
      : {}),
    ...(native.engine ? { engine: native.engine } : {}),
    ...(native.optimized_for ? { optimized_for: native.optimized_for } : {}),
    ...(native.filter_nsfw !== undefined ? { filter_nsfw: native.filter_nsfw } : {}),
  });
  return { body, scale };
}

/** The knobs both precision upscalers take; what they do not take is dropped with a warning. */
function precisionKnobs(endpoint: string, options: FreepikUpscaleOptions, warnings: Warnings) {
  const native: FreepikOptions = options.providerOptions?.freepik ?? {};
  if (options.prompt) warnings.dropped("prompt", `'s ${endpoint} upscaler takes no prompt`);
  if (options.resemblance !== undefined)
    warnings.dropped("resemblance", `'s ${endpoint} upscaler has no resemblance`);
  const ultra = native.ultra_detail ?? percentKnob(options.detail, 0, 100, "detail", warnings);
  return {
    ...(native.sharpen !== undefined
      ? { sharpen: clampInt(native.sharpen, 0, 100, "sharpen", warnings) }
      : {}),
    ...(native.smart_grain !== undefined
      ? { smart_grain: clampInt(native.smart_grain, 0, 100, "smart_grain", warnings) }
      : {}),
    ...(ultra !== undefined ? { ultra_detail: clampInt(ultra, 0, 100, "ultra_detail", warnings) } : {}),
  };
}

/** The precision upscaler's body; it always doubles. */
export function precisionRequest(
  common: CommonFields,
  options: FreepikUpscaleOptions,
  { width, height }: InputSize,
  warnings: Warnings,
): { body: PrecisionUpscaleRequest; scale: number } {
  const knobs = precisionKnobs("precision", options, warnings);
  const scale = 2;
  if (options.scale !== undefined && options.scale !== 2)
    warnings.add(
      `scale ${options.scale} is not available on freepik's precision upscaler, which doubles; the result is 2x.`,
    );
  fitOutputCap(scale, (s) => s, width, height, warnings);
  return { body: checked(PrecisionUpscaleRequest, { ...common, ...knobs }), scale };
}

/** The precision-v2 upscaler's body and the factor it will apply. */
export function precisionV2Request(
  common: CommonFields,
  options: FreepikUpscaleOptions,
  { width, height }: InputSize,
  warnings: Warnings,
): { body: PrecisionV2UpscaleRequest; scale: number } {
  const native: FreepikOptions = options.providerOptions?.freepik ?? {};
  const knobs = precisionKnobs("precision-v2", options, warnings);
  let scale = clampInt(options.scale ?? 2, 2, 16, "scale", warnings)!;
  scale = fitOutputCap(scale, (s) => s - 1, width, height, warnings);
  const body = checked(PrecisionV2UpscaleRequest, {
    ...common,
    ...knobs,
    scale_factor: scale,
    ...(native.flavor ? { flavor: native.flavor } : {}),
  });
  return { body, scale };
}
