/**
 * Ideogram's legacy synchronous upscale (`POST https://api.ideogram.ai/upscale`): schemas shared
 * by the client (to build and parse) and the simulator (to validate and answer). Mirrors
 * specs/ideogram.yaml by name. Requests are strict on ranges and enums; responses are tolerant.
 */
import { z } from "zod";

const knob = z.int().min(1).max(100);
const resolution = z.string().regex(/^[1-9][0-9]*x[1-9][0-9]*$/);

export const magicPromptOptions = ["AUTO", "ON", "OFF"] as const;
export const magicPromptVersions = [
  "V_0",
  "V_0_1",
  "V_0_2",
  "V_0_3",
  "V_0_4",
  "V_0_5",
  "V_0_6",
  "V_0_7",
  "V_0_8",
] as const;
export const maxSeed = 2_147_483_647;

/** The settings carried as JSON text in the multipart part `image_request`; every field optional. */
export const UpscaleImageRequest = z.object({
  prompt: z.string().optional(),
  resemblance: knob.optional(),
  detail: knob.optional(),
  magic_prompt_option: z.enum(magicPromptOptions).optional(),
  magic_prompt_version: z.enum(magicPromptVersions).optional(),
  num_images: z.int().min(1).max(8).optional(),
  seed: z.int().min(0).max(maxSeed).optional(),
});

export const ImageObject = z.object({
  /** Ephemeral, signed link (about 24 h); null or "" when the result failed the safety check. */
  url: z.string().nullable(),
  prompt: z.string(),
  resolution,
  upscaled_resolution: resolution,
  is_image_safe: z.boolean(),
  seed: z.int(),
  style_type: z.string().optional(),
});

export const UpscaleResponse = z.object({
  created: z.string(),
  data: z.array(ImageObject),
});

export const ErrorResponse = z.object({ error: z.string() });

export const PaymentRequiredResponse = z.object({
  error: z.string(),
  reject_reason: z.enum(["insufficient_funds", "daily_limit"]),
});

export const InflightLimitResponse = z.object({
  error: z.string(),
  reject_reason: z.literal("inflight_limit"),
  max_inflight_requests: z.int().optional(),
});

export type UpscaleImageRequest = z.infer<typeof UpscaleImageRequest>;
export type ImageObject = z.infer<typeof ImageObject>;
export type UpscaleResponse = z.infer<typeof UpscaleResponse>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
export type PaymentRequiredResponse = z.infer<typeof PaymentRequiredResponse>;
export type InflightLimitResponse = z.infer<typeof InflightLimitResponse>;
