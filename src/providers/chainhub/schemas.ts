/**
 * chainhub's Ideogram upscale (`POST https://api.chainhub.tech/ideogram/upscale`): the same
 * multipart request as Ideogram, answered with chainhub's task envelope (task mode) or Ideogram's
 * sync body (pass-through mode). Mirrors specs/chainhub.yaml by name.
 */
import { z } from "zod";

// The request is Ideogram's, byte for byte: one definition, re-exported under the spec's name.
export { UpscaleImageRequest } from "../ideogram/schemas.ts";

const resolution = z.string().regex(/^[1-9][0-9]*x[1-9][0-9]*$/);

export const taskStatuses = ["submitted", "processing", "succeed", "failed"] as const;
export const TaskStatus = z.enum(taskStatuses);

/** Task-mode answer to the submit: chainhub's generic envelope (Kling's format). */
export const TaskEnvelope = z.object({
  code: z.literal(0),
  message: z.string(),
  request_id: z.string(),
  data: z.object({
    task_id: z.string(),
    task_status: TaskStatus,
    /** Unix milliseconds. */
    created_at: z.int(),
    updated_at: z.int(),
  }),
});

export const TaskResultImage = z.object({
  url: z.string(),
  resolution,
  upscaled_resolution: resolution,
});

export const TaskQueryEnvelope = z.object({
  code: z.literal(0),
  message: z.string(),
  request_id: z.string(),
  data: z.object({
    task_id: z.string(),
    task_status: TaskStatus,
    /** Present when `failed`. */
    task_status_msg: z.string().optional(),
    created_at: z.int(),
    updated_at: z.int(),
    /** Present when `succeed`. */
    task_result: z.object({ images: z.array(TaskResultImage) }).optional(),
  }),
});

/** Pass-through mode: Ideogram's ImageObject, with `upscaled_resolution` optional. */
export const ImageObject = z.object({
  url: z.string().nullable(),
  prompt: z.string(),
  resolution,
  upscaled_resolution: resolution.optional(),
  is_image_safe: z.boolean(),
  seed: z.int(),
  style_type: z.string().optional(),
});

export const PassthroughUpscaleResponse = z.object({
  created: z.string(),
  data: z.array(ImageObject),
});

/** Every non-2xx answer: the envelope with a non-zero `code`. */
export const ErrorEnvelope = z.object({
  code: z.int(),
  message: z.string(),
  request_id: z.string().optional(),
});

export type TaskStatus = z.infer<typeof TaskStatus>;
export type TaskEnvelope = z.infer<typeof TaskEnvelope>;
export type TaskQueryEnvelope = z.infer<typeof TaskQueryEnvelope>;
export type TaskResultImage = z.infer<typeof TaskResultImage>;
export type ImageObject = z.infer<typeof ImageObject>;
export type PassthroughUpscaleResponse = z.infer<typeof PassthroughUpscaleResponse>;
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;
