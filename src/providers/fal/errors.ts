/**
 * fal's errors in the client's types: its `{detail}` bodies (a string, or FastAPI-style items
 * with `loc`, `msg`, `type`), its `x-fal-retryable` header, and a failed run's error type. A 422
 * on the result read is the run's failure, not the caller's input; content_policy_violation is a
 * ContentPolicyError.
 */
import { ApiError, ContentPolicyError, InsufficientCreditError, TaskFailedError } from "../../core/errors.ts";
import { classifyHttpError, type ErrorContext, truncate } from "../../core/http.ts";
import type { OperationHandle, OperationStatus } from "../../core/types.ts";

/** Error types that say fal, not the input, was at fault: worth a retry elsewhere. */
const infraTypes = new Set([
  "internal_error",
  "runner_incomplete_response",
  "runner_scheduling_failure",
  "request_timeout",
]);

interface FalDetailItem {
  loc?: unknown[];
  msg?: unknown;
  type?: unknown;
}

export function detailItems(body: unknown): FalDetailItem[] {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  return Array.isArray(detail) ? (detail as FalDetailItem[]) : [];
}

export function detailText(body: unknown): string | undefined {
  const detail = (body as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === "string") return detail;
  const first = detailItems(body)[0];
  if (first && typeof first.msg === "string") return first.msg;
  return typeof body === "string" && body ? body : undefined;
}

/** fal's errors; on the result read a 422 is the run's failure, not the caller's input. */
export function mapError(ctx: ErrorContext): Error {
  const message = detailText(ctx.body);
  const items = detailItems(ctx.body);
  const type = typeof items[0]?.type === "string" ? (items[0].type as string) : undefined;
  const base = {
    provider: "fal" as const,
    status: ctx.status,
    body: ctx.body,
    ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
  };
  const said = message ? ` (fal says: ${truncate(message, 160)})` : "";
  if (type === "content_policy_violation") {
    return new ContentPolicyError(
      `Failed to ${ctx.operation} on fal: the content checker flagged it${said}. Change the image or the prompt.`,
      { ...base, errorType: type, ...(ctx.requestId ? { taskId: ctx.requestId } : {}) },
    );
  }
  if (ctx.status === 403 && message && /balance|locked/i.test(message)) {
    return new InsufficientCreditError(
      `Failed to ${ctx.operation} on fal: the account is out of credit${said}. Top up at fal.ai/dashboard/billing, or use another provider.`,
      base,
    );
  }
  const retryable = ctx.headers.get("x-fal-retryable");
  if (ctx.status === 422 && ctx.operation === "read the result") {
    return new TaskFailedError(
      `Failed to upscale on fal: the run ended with ${type ?? "an error"}${said}. Check the input image, or try another provider.`,
      { ...base, ...(type ? { errorType: type } : {}), retryable: retryable === "true" },
    );
  }
  const fieldErrors = items.map((item) => ({
    field: (Array.isArray(item.loc) ? item.loc : []).filter((p) => p !== "body").join(".") || "body",
    message: String(item.msg ?? ""),
  }));
  const mapped = classifyHttpError(ctx, {
    ...(message ? { message } : {}),
    ...(fieldErrors.length ? { fieldErrors } : {}),
  });
  if (retryable === "true" && mapped instanceof ApiError && !mapped.retryable) {
    return new ApiError(mapped.message, { ...base, retryable: true });
  }
  return mapped;
}

/** The typed error for a run that ended failed or cancelled. */
export function runFailure(status: OperationStatus, handle: OperationHandle): Error {
  const type = status.error?.type ?? "error";
  const message = status.error?.message ?? "the run failed";
  const options = {
    provider: "fal" as const,
    status: 200,
    body: status.raw,
    taskId: handle.id,
    errorType: type,
  };
  if (type === "content_policy_violation") {
    return new ContentPolicyError(
      `Failed to upscale on fal: the content checker flagged request ${handle.id} (${message}). Change the image or the prompt.`,
      options,
    );
  }
  if (status.state === "canceled") {
    return new TaskFailedError(
      `Failed to upscale on fal: request ${handle.id} was cancelled. Start it again.`,
      options,
    );
  }
  return new TaskFailedError(
    `Failed to upscale on fal: request ${handle.id} ended with ${type} (${message}). ${
      infraTypes.has(type)
        ? "fal had trouble running it; retry or use another provider."
        : "Check the input image."
    }`,
    { ...options, retryable: infraTypes.has(type) },
  );
}
