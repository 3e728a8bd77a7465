/**
 * fal.ai `fal-ai/ideogram/upscale`: request and response schemas shared by the client (to build
 * and parse) and the simulator (to validate and answer). Mirrors specs/fal.yaml and
 * specs/fal-sync.yaml by name. Requests are strict on ranges and types; responses are tolerant
 * (plain objects, extra keys allowed), as fal adds fields over time.
 */
import { z } from "zod";

const knob = z.number().int().min(1).max(100);

export const UpscaleInput = z.object({
  /** A URL fal can fetch (public or fal storage) or a `data:image/…;base64,` URI. */
  image_url: z.url(),
  prompt: z.string().optional(),
  resemblance: knob.optional(),
  detail: knob.optional(),
  expand_prompt: z.boolean().optional(),
  seed: z.number().int().optional(),
  sync_mode: z.boolean().optional(),
});

export const File = z.object({
  url: z.string(),
  content_type: z.string().optional(),
  file_name: z.string().optional(),
  file_size: z.number().int().min(0).optional(),
  width: z.number().int().min(1).optional(),
  height: z.number().int().min(1).optional(),
});

export const UpscaleOutput = z.object({
  images: z.array(File),
  seed: z.number().int(),
});

export const ErrorResponse = z.object({ detail: z.string() });

export const ValidationErrorItem = z.object({
  loc: z.array(z.union([z.string(), z.number().int()])),
  msg: z.string(),
  type: z.string(),
  url: z.string().optional(),
  ctx: z.record(z.string(), z.unknown()).optional(),
  input: z.unknown().optional(),
});

export const ValidationErrorResponse = z.object({ detail: z.array(ValidationErrorItem) });

export const infraErrorTypes = [
  "internal_error",
  "runner_incomplete_response",
  "runner_scheduling_failure",
  "request_timeout",
] as const;

export const InfraErrorResponse = z.object({
  detail: z.string(),
  /** One of `infraErrorTypes`, though fal may send others. */
  error_type: z.string(),
});

export const QueueSubmitResponse = z.object({
  status: z.literal("IN_QUEUE"),
  request_id: z.string(),
  response_url: z.string(),
  status_url: z.string(),
  cancel_url: z.string(),
  queue_position: z.number().int().min(0),
});

export const logLevels = ["INFO", "WARN", "ERROR", "DEBUG", "STDOUT", "STDERR"] as const;

export const RequestLog = z.object({
  message: z.string(),
  level: z.enum(logLevels),
  source: z.literal("USER"),
  timestamp: z.string(),
});

export const Metrics = z.object({ inference_time: z.number().nullable() });

const statusUrls = {
  request_id: z.string(),
  response_url: z.string(),
  status_url: z.string(),
  cancel_url: z.string(),
};

export const InQueueStatus = z.object({
  status: z.literal("IN_QUEUE"),
  ...statusUrls,
  queue_position: z.number().int().min(0),
});

export const InProgressStatus = z.object({
  status: z.literal("IN_PROGRESS"),
  ...statusUrls,
  logs: z.array(RequestLog).nullable(),
});

export const CompletedStatus = z.object({
  status: z.literal("COMPLETED"),
  ...statusUrls,
  logs: z.array(RequestLog).nullable(),
  metrics: Metrics.optional(),
  error: z.string().optional(),
  error_type: z.string().optional(),
});

export const QueueStatus = z.discriminatedUnion("status", [InQueueStatus, InProgressStatus, CompletedStatus]);

export const cancelStatuses = ["CANCELLATION_REQUESTED", "ALREADY_COMPLETED", "NOT_FOUND"] as const;
export const CancelResponse = z.object({ status: z.enum(cancelStatuses) });

export const StorageInitiateRequest = z.object({
  content_type: z.string().min(1),
  file_name: z.string().min(1),
});

export const StorageInitiateResponse = z.object({
  upload_url: z.string(),
  file_url: z.string(),
});

export const WebhookOkPayload = z.object({
  request_id: z.string(),
  gateway_request_id: z.string(),
  status: z.literal("OK"),
  payload: UpscaleOutput,
});

export const WebhookErrorPayload = z.object({
  request_id: z.string(),
  gateway_request_id: z.string(),
  status: z.literal("ERROR"),
  error: z.string(),
  payload: z.union([ValidationErrorResponse, InfraErrorResponse]),
});

export const WebhookPayloadErrorPayload = z.object({
  request_id: z.string(),
  gateway_request_id: z.string(),
  status: z.literal("OK"),
  payload: z.null(),
  payload_error: z.string(),
});

export const WebhookPayload = z.union([WebhookOkPayload, WebhookErrorPayload, WebhookPayloadErrorPayload]);

export type UpscaleInput = z.infer<typeof UpscaleInput>;
export type File = z.infer<typeof File>;
export type UpscaleOutput = z.infer<typeof UpscaleOutput>;
export type ErrorResponse = z.infer<typeof ErrorResponse>;
export type ValidationErrorItem = z.infer<typeof ValidationErrorItem>;
export type ValidationErrorResponse = z.infer<typeof ValidationErrorResponse>;
export type InfraErrorResponse = z.infer<typeof InfraErrorResponse>;
export type QueueSubmitResponse = z.infer<typeof QueueSubmitResponse>;
export type RequestLog = z.infer<typeof RequestLog>;
export type Metrics = z.infer<typeof Metrics>;
export type InQueueStatus = z.infer<typeof InQueueStatus>;
export type InProgressStatus = z.infer<typeof InProgressStatus>;
export type CompletedStatus = z.infer<typeof CompletedStatus>;
export type QueueStatus = z.infer<typeof QueueStatus>;
export type CancelResponse = z.infer<typeof CancelResponse>;
export type StorageInitiateRequest = z.infer<typeof StorageInitiateRequest>;
export type StorageInitiateResponse = z.infer<typeof StorageInitiateResponse>;
export type WebhookOkPayload = z.infer<typeof WebhookOkPayload>;
export type WebhookErrorPayload = z.infer<typeof WebhookErrorPayload>;
export type WebhookPayloadErrorPayload = z.infer<typeof WebhookPayloadErrorPayload>;
export type WebhookPayload = z.infer<typeof WebhookPayload>;
