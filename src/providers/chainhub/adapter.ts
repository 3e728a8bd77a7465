/**
 * chainhub's Ideogram upscale: Ideogram's multipart request behind `Authorization: Bearer` (and a
 * required `Accept: application/json`), answered with chainhub's task envelope (then polled at
 * `GET /ideogram/upscale/{task_id}`) or with Ideogram's sync body. Both answers are understood;
 * `providerOptions.chainhub.mode` pins one.
 */
import { z } from "zod";
import type { paths } from "../../../generated/chainhub.ts";
import {
  type CallContext,
  doneStatus,
  handleOutput,
  type ProviderAdapter,
  type ProviderModule,
} from "../../core/adapter.ts";
import { ContentPolicyError, ContractError, TaskFailedError } from "../../core/errors.ts";
import { originsOf } from "../../core/facts.ts";
import {
  checkBody,
  classifyHttpError,
  createApiClient,
  type ErrorContext,
  type Exchange,
  send,
  type Transport,
} from "../../core/http.ts";
import type { OperationKind } from "../../core/retry.ts";
import type { OperationStatus } from "../../core/types.ts";
import { familyForm, familyImages, familySettings } from "../ideogram/family.ts";
import { UpscaleResponseRead } from "../ideogram/reader.ts";
import { chainhubFacts } from "./facts.ts";
import type { ChainhubUpscaleOptions } from "./options.ts";
import { TaskEnvelope, TaskQueryEnvelope } from "./schemas.ts";

/** chainhub's error codes (Kling's table) and the HTTP status each stands for. */
const statusOfCode: Record<number, number> = {
  1000: 401,
  1101: 402,
  1200: 400,
  1203: 404,
  1301: 422,
  1302: 429,
  5000: 500,
  5001: 503,
};

const stateOf = {
  submitted: "queued",
  processing: "running",
  succeed: "succeeded",
  failed: "failed",
} as const;

const safetyWords = /safety|unsafe|nsfw|content polic/i;

function requestIdOf(headers: Headers, body: unknown): string | undefined {
  const fromBody = (body as { request_id?: unknown } | undefined)?.request_id;
  return typeof fromBody === "string" ? fromBody : (headers.get("x-request-id") ?? undefined);
}

function mapError(ctx: ErrorContext): Error {
  const body = (ctx.body ?? {}) as { code?: unknown; message?: unknown };
  const message = typeof body.message === "string" ? body.message : undefined;
  const code = typeof body.code === "number" ? body.code : undefined;
  const status = ctx.status === 200 && code !== undefined ? (statusOfCode[code] ?? 400) : ctx.status;
  if (code === 1301 || (status === 400 && message && safetyWords.test(message))) {
    return new ContentPolicyError(
      `Failed to ${ctx.operation} on chainhub: the safety check refused it (${message ?? `code ${code}`}). Change the prompt or the image.`,
      {
        provider: "chainhub",
        status,
        body: ctx.body,
        errorType: String(code ?? "safety"),
        ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      },
    );
  }
  if (code === 1101) return classifyHttpError({ ...ctx, status: 402 }, message ? { message } : {});
  return classifyHttpError({ ...ctx, status }, message ? { message } : {});
}

export function createChainhubAdapter(transport: Transport, bases: Record<string, string>): ProviderAdapter {
  const client = createApiClient<paths>(bases.api!, transport);

  /**
   * One chainhub request, retried as a whole (ctx.retry, not ctx.send). A 2xx envelope with a non-zero code is an error in
   * chainhub's words, so it is checked inside the retried call: 5001 (busy) and 1302 (rate limited)
   * are retried like the 503 and 429 they stand for. The body is then checked once, with the
   * schema `schemaOf` picks for it.
   */
  const call = <S extends z.ZodType>(
    ctx: CallContext,
    kind: OperationKind,
    operation: string,
    schemaOf: (raw: unknown, response: Response) => S,
    exec: (signal: AbortSignal) => Promise<Exchange>,
  ) =>
    ctx.retry(kind, operation, async () => {
      const { raw, response } = await send(
        transport,
        {
          operation,
          schema: z.unknown(),
          mapError,
          requestIdOf,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        },
        exec,
      );
      const requestId = requestIdOf(response.headers, raw);
      const code = (raw as { code?: unknown } | null)?.code;
      if (typeof code === "number" && code !== 0) {
        throw mapError({
          provider: "chainhub",
          operation,
          status: 200,
          body: raw,
          headers: response.headers,
          requestId,
          retryAfterMs: undefined,
          keyHint: transport.keyHint,
        });
      }
      const schema = schemaOf(raw, response);
      const value: z.infer<S> = checkBody(transport, operation, schema, raw, response.status, requestId);
      return { value, raw, response };
    });

  return {
    id: "chainhub",

    async start(ctx, input, options: ChainhubUpscaleOptions, warnings) {
      const native = options.providerOptions?.chainhub ?? {};
      const { settings, scale } = familySettings("chainhub", options, native, warnings);
      const image = await ctx.materialize(input);
      const form = familyForm(settings, image);
      const operation = "submit the upscale";
      const mode = native.mode ?? "auto";
      const { value, raw } = await call(
        ctx,
        "start",
        operation,
        (raw, response) => {
          const isTask = typeof raw === "object" && raw !== null && "code" in raw;
          if (mode !== "auto" && (mode === "task") !== isTask) {
            throw new ContractError(
              `Failed to ${operation} on chainhub: expected its ${mode === "task" ? "task envelope" : "Ideogram-style body"}, got the ${isTask ? "task envelope" : "Ideogram-style body"}. Set providerOptions.chainhub.mode to "auto" or to the mode your account answers in.`,
              { provider: "chainhub", status: response.status, body: raw, path: isTask ? "code" : "data" },
            );
          }
          return isTask ? TaskEnvelope : UpscaleResponseRead;
        },
        (signal) =>
          client.POST("/ideogram/upscale", {
            params: { header: { Accept: "application/json" } },
            body: { image_request: JSON.stringify(settings), image_file: image.fileName },
            bodySerializer: () => form,
            parseAs: "text",
            signal,
          }),
      );
      if ("code" in value) return { id: value.data.task_id, state: "pending", scale };
      return { id: ctx.clientRequestId, state: "done", output: raw, scale };
    },

    async status(ctx, handle): Promise<OperationStatus> {
      if (handle.state === "done") return doneStatus(handle);
      const { value, raw } = await call(
        ctx,
        "read",
        "read the task status",
        () => TaskQueryEnvelope,
        (signal) =>
          client.GET("/ideogram/upscale/{task_id}", {
            params: { path: { task_id: handle.id }, header: { Accept: "application/json" } },
            parseAs: "text",
            signal,
          }),
      );
      const task = value.data;
      return {
        provider: "chainhub",
        id: task.task_id,
        state: stateOf[task.task_status],
        providerState: task.task_status,
        ...(task.task_result ? { outputUrls: task.task_result.images.map((i) => i.url) } : {}),
        ...(task.task_status === "failed"
          ? { error: { type: "failed", message: task.task_status_msg ?? "The task failed." } }
          : {}),
        raw,
      };
    },

    async result(_ctx, handle, status) {
      const warnings: string[] = [];
      if (handle.state === "done") {
        const body = handleOutput(UpscaleResponseRead, handle);
        const { images, seed } = familyImages("chainhub", body.data, warnings);
        return { images, raw: handle.output, warnings, ...(seed !== undefined ? { seed } : {}) };
      }
      const task = TaskQueryEnvelope.parse(status.raw).data;
      const { images } = familyImages("chainhub", task.task_result?.images ?? [], warnings, handle.id);
      return { images, raw: status.raw, warnings };
    },

    failure(status, handle) {
      const message = status.error?.message ?? "The task failed.";
      const options = {
        provider: "chainhub" as const,
        status: 200,
        body: status.raw,
        taskId: handle.id,
        errorType: "failed",
      };
      if (safetyWords.test(message)) {
        return new ContentPolicyError(
          `Failed to upscale on chainhub: task ${handle.id} failed the safety check (${message}). Change the prompt or the image.`,
          options,
        );
      }
      return new TaskFailedError(
        `Failed to upscale on chainhub: task ${handle.id} failed (${message}). Try again, or use another provider.`,
        options,
      );
    },
  };
}

export const chainhubModule: ProviderModule = {
  id: "chainhub",
  envKey: chainhubFacts.envKey,
  defaultBases: originsOf(chainhubFacts, chainhubFacts.clientHosts),
  apiHosts: [...chainhubFacts.apiHosts],
  resultHosts: chainhubFacts.resultHosts,
  authHeaders: (key) => ({ Authorization: `Bearer ${key}` }),
  create: createChainhubAdapter,
};
