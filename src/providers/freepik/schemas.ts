/**
 * Freepik Magnific upscalers: request and response schemas shared by the client (to build and
 * parse) and the simulator (to validate and answer). Mirrors specs/freepik.yaml by name.
 */
import { z } from "zod";
import { freepikFacts } from "./facts.ts";

const { knobMax } = freepikFacts.limits;
const creativeKnob = z.number().int().min(-knobMax).max(knobMax);
const percent = z.number().int().min(0).max(100);

export const scaleFactors = ["2x", "4x", "8x", "16x"] as const;
export const optimizedFor = [
  "standard",
  "soft_portraits",
  "hard_portraits",
  "art_n_illustration",
  "videogame_assets",
  "nature_n_landscapes",
  "films_n_photography",
  "3d_renders",
  "science_fiction_n_horror",
] as const;
export const engines = ["automatic", "magnific_illusio", "magnific_sharpy", "magnific_sparkle"] as const;

export const CreativeUpscaleRequest = z.object({
  /** Base64 image (no data-URI prefix). */
  image: z.string().min(1),
  webhook_url: z.url().optional(),
  scale_factor: z.enum(scaleFactors).optional(),
  optimized_for: z.enum(optimizedFor).optional(),
  prompt: z.string().optional(),
  creativity: creativeKnob.optional(),
  hdr: creativeKnob.optional(),
  resemblance: creativeKnob.optional(),
  fractality: creativeKnob.optional(),
  engine: z.enum(engines).optional(),
  filter_nsfw: z.boolean().optional(),
});

export const PrecisionUpscaleRequest = z.object({
  image: z.string().min(1),
  webhook_url: z.url().optional(),
  sharpen: percent.optional(),
  smart_grain: percent.optional(),
  ultra_detail: percent.optional(),
});

export const precisionV2Flavors = ["sublime", "photo", "photo_denoiser"] as const;

export const PrecisionV2UpscaleRequest = z.object({
  /** An image URL or base64. */
  image: z.string().min(1),
  webhook_url: z.url().optional(),
  sharpen: percent.optional(),
  smart_grain: percent.optional(),
  ultra_detail: percent.optional(),
  flavor: z.enum(precisionV2Flavors).optional(),
  scale_factor: z.number().int().min(2).max(16).optional(),
});

export const taskStatuses = ["CREATED", "IN_PROGRESS", "COMPLETED", "FAILED"] as const;
export const TaskStatus = z.enum(taskStatuses);

export const Task = z.object({
  task_id: z.string(),
  status: TaskStatus,
});

export const TaskDetail = Task.extend({
  generated: z.array(z.string()),
});

export const TaskResponse = z.object({ data: TaskDetail });
export const TaskListResponse = z.object({ data: z.array(Task) });
export const WebhookPayload = TaskDetail;
export const ErrorMessage = z.object({ message: z.string() });
export const ProblemDetails = z.object({
  message: z.string(),
  invalid_params: z.array(z.object({ name: z.string(), reason: z.string() })),
});

export type CreativeUpscaleRequest = z.infer<typeof CreativeUpscaleRequest>;
export type PrecisionUpscaleRequest = z.infer<typeof PrecisionUpscaleRequest>;
export type PrecisionV2UpscaleRequest = z.infer<typeof PrecisionV2UpscaleRequest>;
export type TaskDetail = z.infer<typeof TaskDetail>;
export type TaskResponse = z.infer<typeof TaskResponse>;
