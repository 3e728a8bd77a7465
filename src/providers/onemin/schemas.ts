/**
 * 1min.ai asset upload and IMAGE_UPSCALER feature call: request and response schemas shared by
 * the client (to build and parse) and the simulator (to validate and answer). Mirrors
 * specs/onemin.yaml by name. Requests are strict on ranges and enums; responses are tolerant.
 */
import { z } from "zod";
import { oneminFacts } from "./facts.ts";

const percent = z.number().int().min(0).max(100);

export const mimetypes = ["image/jpeg", "image/png", "image/webp"] as const;
export const magicPromptOptions = ["AUTO", "ON", "OFF"] as const;
export const recordStatuses = ["SUCCESS", "FAILED"] as const;

/** `POST /api/assets` is multipart: one part `asset` with the image bytes. */
export const AssetUploadRequest = z.object({
  asset: z.union([z.instanceof(Uint8Array), z.instanceof(Blob)]),
});

export const Asset = z.object({
  key: z.string().min(1),
  location: z.string(),
  mimetype: z.enum(mimetypes),
  size: z.number().int(),
});

export const FileContent = z.object({
  uuid: z.string(),
  path: z.string().min(1),
  type: z.string(),
  name: z.string(),
  status: z.literal("ACTIVE"),
  createdAt: z.string(),
});

export const AssetUploadResponse = z.object({
  asset: Asset,
  fileContent: FileContent,
});

export const PromptObject = z.object({
  /** An asset key from `POST /api/assets` (`fileContent.path`) or an absolute URL. */
  imageUrl: z.string().min(1),
  num_images: z.number().int().min(1).max(8),
  prompt: z.string().optional(),
  magic_prompt_option: z.enum(magicPromptOptions).optional(),
  resemblance: percent.optional(),
  detail: percent.optional(),
  seed: z.number().int().min(0).max(2147483647).optional(),
});

export const FeatureRequest = z.object({
  type: z.literal("IMAGE_UPSCALER"),
  model: z.literal("ideogram-3"),
  promptObject: PromptObject,
});

export const ImageObject = z.object({
  url: z.string().nullable(),
  prompt: z.string(),
  resolution: z.string(),
  upscaled_resolution: z.string(),
  is_image_safe: z.boolean(),
  seed: z.number().int(),
});

export const UpscaleResponseObject = z.object({
  created: z.string(),
  data: z.array(ImageObject),
});

export const AiRecordDetail = z.object({
  /** The request's promptObject as 1min.ai echoes it. */
  promptObject: PromptObject,
  /** Relative asset keys (e.g. `images/…_upscale.png`), not URLs. */
  resultObject: z.array(z.string()),
  responseObject: UpscaleResponseObject,
});

export const AiRecord = z.object({
  uuid: z.string(),
  model: z.literal("ideogram-3"),
  type: z.literal("IMAGE_UPSCALER"),
  status: z.enum(recordStatuses),
  aiRecordDetail: AiRecordDetail,
});

export const FeatureResponse = z.object({
  aiRecord: AiRecord,
  temporaryUrl: z.string().optional(),
});

export const ErrorResponse = z.object({ message: z.string() });

/** Where 1min.ai's relative asset keys resolve (as third-party clients do). */
export const assetOrigin: string = oneminFacts.hosts.asset;

/** The absolute URL of a relative asset key such as `images/2026_…_photo.png`. */
export function assetUrl(key: string, origin = assetOrigin): string {
  const path = key
    .replace(/^\/+/, "")
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
  return `${origin}/${path}`;
}

export type AssetUploadResponse = z.infer<typeof AssetUploadResponse>;
export type Asset = z.infer<typeof Asset>;
export type FileContent = z.infer<typeof FileContent>;
export type PromptObject = z.infer<typeof PromptObject>;
export type FeatureRequest = z.infer<typeof FeatureRequest>;
export type ImageObject = z.infer<typeof ImageObject>;
export type UpscaleResponseObject = z.infer<typeof UpscaleResponseObject>;
export type AiRecordDetail = z.infer<typeof AiRecordDetail>;
export type AiRecord = z.infer<typeof AiRecord>;
export type FeatureResponse = z.infer<typeof FeatureResponse>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
