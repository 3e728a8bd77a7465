/**
 * chainhub's errors in the client's types: its `{code, message}` envelopes (Kling's code table,
 * sent with HTTP 200 as well as with error statuses) and a failed task. A safety refusal, by code
 * 1301 or by its wording, is a ContentPolicyError.
 */
import { ContentPolicyError, TaskFailedError } from "../../core/errors.ts";
import { classifyHttpError, type ErrorContext } from "../../core/http.ts";
import type { OperationHandle, OperationStatus } from "../../core/types.ts";

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

/** chainhub names no code for a safety refusal of a task, so its message is read. */
const safetyWords = /safety|unsafe|nsfw|content polic/i;

/** The body's `request_id` when chainhub sends one, else the `x-request-id` header. */
export function requestIdOf(headers: Headers, body: unknown): string | undefined {
  const fromBody = (body as { request_id?: unknown } | undefined)?.request_id;
  return typeof fromBody === "string" ? fromBody : (headers.get("x-request-id") ?? undefined);
}

export function mapError(ctx: ErrorContext): Error {
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

/** The typed error for a task that ended failed. */
export function taskFailure(status: OperationStatus, handle: OperationHandle): Error {
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
}
