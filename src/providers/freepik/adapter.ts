/**
 * Freepik Magnific (creative, precision, precision-v2): JSON with a base64 `image` (precision-v2
 * also takes a URL), an async task polled at `GET <endpoint>/<task-id>`, results in `generated`.
 * Common values: resemblance ↦ resemblance and detail ↦ hdr on −10..10 (50 ↦ 0) for creative;
 * detail ↦ ultra_detail (0–100) for the precision upscalers.
 */
import type { z } from "zod";
import type { paths } from "../../../generated/freepik.ts";
import {
  type CallContext,
  checkedRequest,
  type ProviderAdapter,
  type ProviderModule,
  type StartedJob,
} from "../../core/adapter.ts";
import { InsufficientCreditError, TaskFailedError, ValidationError } from "../../core/errors.ts";
import { originsOf } from "../../core/facts.ts";
import { classifyHttpError, createApiClient, type ErrorContext, type Transport } from "../../core/http.ts";
import { contentTypeOf, formatFromName } from "../../core/image-size.ts";
import { type PreparedInput, toBase64 } from "../../core/input.ts";
import { clampInt, nearestScale, percentKnob, signedKnob, type Warnings } from "../../core/mapping.ts";
import { formatMs } from "../../core/poll.ts";
import { readState } from "../../core/tolerant-state.ts";
import type { OperationState, OperationStatus } from "../../core/types.ts";
import { freepikFacts } from "./facts.ts";
import type { FreepikUpscaleOptions } from "./options.ts";
import { type TaskRead, TaskResponseRead } from "./reader.ts";
import { CreativeUpscaleRequest, PrecisionUpscaleRequest, PrecisionV2UpscaleRequest } from "./schemas.ts";

export type FreepikEndpoint = "creative" | "precision" | "precision-v2";

/** Freepik's output cap: input pixels × scale² (docs/providers.md). */
export const maxOutputPixels = freepikFacts.limits.maxOutputPixels;
const knobHalfRange = freepikFacts.limits.knobMax;
const defaultCreatedStallMs = 180_000;

/** The documented enum, plus CREATED (reported for accounts out of credit). */
const stateOf = {
  CREATED: "queued",
  IN_PROGRESS: "running",
  COMPLETED: "succeeded",
  FAILED: "failed",
} as const satisfies Record<string, OperationState>;

function mapError(ctx: ErrorContext): Error {
  const body = (ctx.body ?? {}) as { message?: unknown; invalid_params?: unknown };
  const message =
    typeof body.message === "string" ? body.message : typeof ctx.body === "string" ? ctx.body : undefined;
  const fieldErrors = Array.isArray(body.invalid_params)
    ? (body.invalid_params as Array<{ name?: unknown; reason?: unknown }>).map((p) => ({
        field: String(p.name ?? ""),
        message: String(p.reason ?? ""),
      }))
    : undefined;
  return classifyHttpError(ctx, { ...(message ? { message } : {}), ...(fieldErrors ? { fieldErrors } : {}) });
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

export function createFreepikAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const client = createApiClient<paths>(bases.api!, transport);
  const taskCall = (operation: string) => ({ operation, schema: TaskResponseRead, mapError });

  async function image(ctx: CallContext, input: PreparedInput, endpoint: FreepikEndpoint) {
    if (input.kind === "url" && endpoint === "precision-v2") return { image: input.url, info: undefined };
    const bytes = await ctx.materialize(input);
    return { image: toBase64(bytes.bytes), info: bytes.info };
  }

  return {
    id: "freepik",

    async start(ctx, input, options: FreepikUpscaleOptions, warnings): Promise<StartedJob> {
      const native = options.providerOptions?.freepik ?? {};
      const endpoint: FreepikEndpoint = native.endpoint ?? "creative";
      const { image: picture, info } = await image(ctx, input, endpoint);
      const common = {
        image: picture,
        ...(options.webhookUrl ? { webhook_url: options.webhookUrl } : {}),
      };
      if (options.seed !== undefined) warnings.dropped("seed", "takes no seed");
      if (options.numImages !== undefined && options.numImages !== 1)
        warnings.dropped(`numImages ${options.numImages}`, "returns one image per task");
      const operation = "submit the upscale";
      let scale: number;
      let sent: { value: z.infer<typeof TaskResponseRead> };

      if (endpoint === "creative") {
        scale = nearestScale(options.scale ?? 2, [2, 4, 8, 16], warnings);
        scale = fitOutputCap(scale, (s) => s / 2, info?.width, info?.height, warnings);
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
        sent = await ctx.send("start", taskCall(operation), (signal) =>
          client.POST("/v1/ai/image-upscaler", { body, parseAs: "text", signal }),
        );
      } else {
        if (options.prompt) warnings.dropped("prompt", `'s ${endpoint} upscaler takes no prompt`);
        if (options.resemblance !== undefined)
          warnings.dropped("resemblance", `'s ${endpoint} upscaler has no resemblance`);
        const ultra = native.ultra_detail ?? percentKnob(options.detail, 0, 100, "detail", warnings);
        const knobs = {
          ...(native.sharpen !== undefined
            ? { sharpen: clampInt(native.sharpen, 0, 100, "sharpen", warnings) }
            : {}),
          ...(native.smart_grain !== undefined
            ? { smart_grain: clampInt(native.smart_grain, 0, 100, "smart_grain", warnings) }
            : {}),
          ...(ultra !== undefined ? { ultra_detail: clampInt(ultra, 0, 100, "ultra_detail", warnings) } : {}),
        };
        if (endpoint === "precision") {
          scale = 2;
          if (options.scale !== undefined && options.scale !== 2)
            warnings.add(
              `scale ${options.scale} is not available on freepik's precision upscaler, which doubles; the result is 2x.`,
            );
          fitOutputCap(scale, (s) => s, info?.width, info?.height, warnings);
          const body = checked(PrecisionUpscaleRequest, { ...common, ...knobs });
          sent = await ctx.send("start", taskCall(operation), (signal) =>
            client.POST("/v1/ai/image-upscaler-precision", { body, parseAs: "text", signal }),
          );
        } else {
          scale = clampInt(options.scale ?? 2, 2, 16, "scale", warnings)!;
          scale = fitOutputCap(scale, (s) => s - 1, info?.width, info?.height, warnings);
          const body = checked(PrecisionV2UpscaleRequest, {
            ...common,
            ...knobs,
            scale_factor: scale,
            ...(native.flavor ? { flavor: native.flavor } : {}),
          });
          sent = await ctx.send("start", taskCall(operation), (signal) =>
            client.POST("/v1/ai/image-upscaler-precision-v2", { body, parseAs: "text", signal }),
          );
        }
      }
      return { id: sent.value.data.task_id, state: "pending", endpoint, scale };
    },

    async status(ctx, handle): Promise<OperationStatus> {
      const operation = "read the task status";
      const params = { path: { "task-id": handle.id } };
      const endpoint = (handle.endpoint ?? "creative") as FreepikEndpoint;
      const { value, raw, response } = await ctx.send("read", taskCall(operation), (signal) =>
        endpoint === "precision"
          ? client.GET("/v1/ai/image-upscaler-precision/{task-id}", { params, parseAs: "text", signal })
          : endpoint === "precision-v2"
            ? client.GET("/v1/ai/image-upscaler-precision-v2/{task-id}", {
                params,
                parseAs: "text",
                signal,
              })
            : client.GET("/v1/ai/image-upscaler/{task-id}", { params, parseAs: "text", signal }),
      );
      const retryAfter = response.headers.get("retry-after");
      return {
        ...taskStatus(value.data),
        raw,
        ...(retryAfter && /^\d+$/.test(retryAfter) ? { retryAfterMs: Number(retryAfter) * 1000 } : {}),
      };
    },

    async result(_ctx, _handle, status) {
      // Freepik states only URLs: the type is what the file name tells; the client fills in the rest.
      const images = (status.outputUrls ?? []).map((url) => {
        const format = formatFromName(url);
        return { url, ...(format ? { contentType: contentTypeOf[format] } : {}) };
      });
      return { images, raw: status.raw };
    },

    failure(status, handle) {
      return new TaskFailedError(
        `Failed to upscale on freepik: task ${handle.id} ended ${status.providerState ?? "FAILED"}. Try another image or settings, or another provider.`,
        { provider: "freepik", status: 200, body: status.raw, taskId: handle.id, errorType: "FAILED" },
      );
    },

    stalled(status, handle, now, options: FreepikUpscaleOptions) {
      const limit = options.providerOptions?.freepik?.createdStallMs ?? defaultCreatedStallMs;
      if (status.providerState !== "CREATED" || now - handle.createdAt < limit) return undefined;
      return new InsufficientCreditError(
        `Failed to run freepik task ${handle.id}: it stayed CREATED for ${formatMs(now - handle.createdAt)}, which Freepik does when the account is out of credit. Check the account's credit; if it has some, raise providerOptions.freepik.createdStallMs.`,
        { provider: "freepik", status: 200, body: status.raw },
      );
    },

    timeoutHint(state) {
      return state === "CREATED"
        ? "Freepik leaves tasks CREATED when the account is out of credit."
        : undefined;
    },
  };
}

/** A task object (status answer or webhook body) as the common status shape. */
export function taskStatus(task: TaskRead): Omit<OperationStatus, "raw"> {
  const { state, warning } = readState("freepik", stateOf, task.status);
  return {
    provider: "freepik",
    id: task.task_id,
    state,
    providerState: task.status,
    ...(warning ? { warning } : {}),
    ...(task.status === "COMPLETED" ? { outputUrls: task.generated ?? [] } : {}),
    ...(task.status === "FAILED" ? { error: { type: "FAILED", message: "The upscaling task failed." } } : {}),
  };
}

export const freepikModule: ProviderModule = {
  id: "freepik",
  envKey: freepikFacts.envKey,
  defaultBases: originsOf(freepikFacts, freepikFacts.clientHosts),
  apiHosts: [...freepikFacts.apiHosts],
  resultHosts: freepikFacts.resultHosts,
  authHeaders: (key) => ({ "x-freepik-api-key": key }),
  create: createFreepikAdapter,
};
