/**
 * What Ideogram and chainhub share: the multipart request (`image_request` JSON text +
 * `image_file`), the mapping of common options onto it, the reading of Ideogram's ImageObjects
 * (unsafe results dropped, all unsafe is a ContentPolicyError) and Ideogram-style error bodies.
 */

import { checkedRequest, type ResultImagePart } from "../../core/adapter.ts";
import { ContentPolicyError } from "../../core/errors.ts";
import { contentTypeOf, formatFromName, parseResolution } from "../../core/image-size.ts";
import type { BytesInput } from "../../core/input.ts";
import { clampInt, percentKnob, twoXOnly, type Warnings } from "../../core/mapping.ts";
import type { ProviderId, UpscaleOptions } from "../../core/types.ts";
import type { IdeogramFamilyOptions } from "./options.ts";
import { maxSeed, UpscaleImageRequest } from "./schemas.ts";

/** The settings part, validated with the shared schema before anything is sent. */
export function familySettings(
  provider: ProviderId,
  options: UpscaleOptions,
  native: IdeogramFamilyOptions,
  warnings: Warnings,
): { settings: UpscaleImageRequest; scale: number } {
  const scale = twoXOnly(options.scale, warnings);
  const resemblance = percentKnob(options.resemblance, 1, 100, "resemblance", warnings);
  const detail = percentKnob(options.detail, 1, 100, "detail", warnings);
  const numImages = clampInt(options.numImages, 1, 8, "numImages", warnings);
  const seed = clampInt(options.seed, 0, maxSeed, "seed", warnings);
  if (options.webhookUrl) warnings.dropped("webhookUrl", "sends no webhooks");
  const candidate = {
    ...(options.prompt ? { prompt: options.prompt } : {}),
    ...(resemblance !== undefined ? { resemblance } : {}),
    ...(detail !== undefined ? { detail } : {}),
    ...(native.magic_prompt_option ? { magic_prompt_option: native.magic_prompt_option } : {}),
    ...(native.magic_prompt_version ? { magic_prompt_version: native.magic_prompt_version } : {}),
    ...(numImages !== undefined ? { num_images: numImages } : {}),
    ...(seed !== undefined ? { seed } : {}),
  };
  return { settings: checkedRequest(provider, UpscaleImageRequest, candidate, "Fix the options"), scale };
}

/**
 * The multipart body: `image_request` as a plain text field holding the JSON, as the providers'
 * own curl examples send it (`-F image_request='{…}'`), and `image_file` as the image.
 */
export function familyForm(settings: UpscaleImageRequest, image: BytesInput): FormData {
  const form = new FormData();
  form.append("image_request", JSON.stringify(settings));
  form.append("image_file", new Blob([image.bytes], { type: image.contentType }), image.fileName);
  return form;
}

export interface FamilyImage {
  url?: string | null | undefined;
  upscaled_resolution?: string | undefined;
  is_image_safe?: boolean | undefined;
  seed?: number | undefined;
}

/** Safe images as result parts; throws ContentPolicyError when none is safe. */
export function familyImages(
  provider: ProviderId,
  data: FamilyImage[],
  warnings: string[],
  taskId?: string,
): { images: ResultImagePart[]; seed?: number } {
  const safe = data.filter((image) => image.is_image_safe !== false && image.url);
  if (safe.length === 0 && data.length > 0) {
    throw new ContentPolicyError(
      `Failed to upscale on ${provider}: every result failed the provider's safety check. Change the prompt or the image.`,
      { provider, status: 200, body: data, errorType: "is_image_safe", ...(taskId ? { taskId } : {}) },
    );
  }
  if (safe.length < data.length)
    warnings.push(
      `${data.length - safe.length} of ${data.length} results failed ${provider}'s safety check and were dropped.`,
    );
  const images = safe.map((image) => {
    const size = parseResolution(image.upscaled_resolution);
    const format = formatFromName(image.url!);
    return {
      url: image.url!,
      ...(size ?? {}),
      ...(format ? { contentType: contentTypeOf[format] } : {}),
    };
  });
  const seed = safe[0]?.seed;
  return { images, ...(seed !== undefined ? { seed } : {}) };
}
