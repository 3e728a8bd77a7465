/**
 * Queue mode on queue.fal.run: submit, then follow the status, result and cancel URLs fal hands
 * back. Those URLs are followed only when they are request URLs on the configured queue host,
 * since they carry the credentials.
 */
import type { CallContext, StartedJob } from "../../core/adapter.ts";
import { ApiError, UnsafeUrlError } from "../../core/errors.ts";
import type { OperationHandle, OperationStatus } from "../../core/types.ts";
import { describe } from "../../core/url-policy.ts";
import type { FalCalls } from "./calls.ts";
import type { FalOptions, FalUpscaleOptions } from "./options.ts";
import {
  CancelResponse,
  QueueStatus,
  QueueSubmitResponse,
  type UpscaleInput,
  UpscaleOutput,
} from "./schemas.ts";
import { statusOf } from "./status.ts";

const model = "/fal-ai/ideogram";

/** The request id in a URL fal handed back, refusing URLs off the configured queue host. */
export function requestIdIn(
  calls: FalCalls,
  url: string | undefined,
  handle: Pick<OperationHandle, "id">,
): string {
  if (!url) return handle.id;
  const { queueBase } = calls;
  const path = url.split(/[?#]/)[0]!;
  const match = path.startsWith(`${queueBase}/`)
    ? new RegExp(`^${model}(?:/upscale)?/requests/([^/]+)(?:/status|/cancel)?/?$`).exec(
        path.slice(queueBase.length),
      )
    : null;
  if (!match) {
    throw new UnsafeUrlError(
      `Failed to follow fal's URL ${describe(url)}: it is not a request URL on the configured queue host ${queueBase}, so no credentials are sent to it. Use the handle start() returned with the same baseUrls.`,
      { provider: "fal", url },
    );
  }
  return decodeURIComponent(match[1]!);
}

export async function submit(
  calls: FalCalls,
  ctx: CallContext,
  payload: UpscaleInput,
  options: FalUpscaleOptions,
): Promise<Omit<StartedJob, "scale">> {
  const native: FalOptions = options.providerOptions?.fal ?? {};
  const { value } = await ctx.send(
    "start",
    { ...calls.opts("submit the upscale"), schema: QueueSubmitResponse },
    (signal) =>
      calls.queue.POST("/fal-ai/ideogram/upscale", {
        body: payload,
        params: {
          query: options.webhookUrl ? { fal_webhook: options.webhookUrl } : {},
          header: {
            ...(native.priority ? { "x-fal-queue-priority": native.priority } : {}),
            ...(native.startTimeoutSeconds ? { "x-fal-request-timeout": native.startTimeoutSeconds } : {}),
          },
        },
        parseAs: "text",
        signal,
      }),
  );
  // Refuse URLs off the configured queue host now rather than when they are first followed.
  for (const url of [value.status_url, value.response_url, value.cancel_url])
    requestIdIn(calls, url, { id: value.request_id });
  return {
    id: value.request_id,
    state: "pending",
    urls: { status: value.status_url, result: value.response_url, cancel: value.cancel_url },
  };
}

export async function readStatus(
  calls: FalCalls,
  ctx: CallContext,
  handle: OperationHandle,
): Promise<OperationStatus> {
  const id = requestIdIn(calls, handle.urls?.status, handle);
  const { value, raw } = await ctx.send(
    "read",
    { ...calls.opts("read the status"), schema: QueueStatus },
    (signal) =>
      calls.queue.GET("/fal-ai/ideogram/requests/{request_id}/status", {
        params: { path: { request_id: id }, query: { logs: 1 } },
        parseAs: "text",
        signal,
      }),
  );
  return statusOf(value, raw);
}

export async function readResult(
  calls: FalCalls,
  ctx: CallContext,
  handle: OperationHandle,
): Promise<{ value: UpscaleOutput; raw: unknown }> {
  const id = requestIdIn(calls, handle.urls?.result, handle);
  // The operation's words matter: mapError reads a 422 here as the run's failure.
  return ctx.send("read", { ...calls.opts("read the result"), schema: UpscaleOutput }, (signal) =>
    calls.queue.GET("/fal-ai/ideogram/requests/{request_id}", {
      params: { path: { request_id: id } },
      parseAs: "text",
      signal,
    }),
  );
}

/** Asks fal to cancel; false when fal says the request cannot be (already done, unknown). */
export async function cancelRun(
  calls: FalCalls,
  ctx: CallContext,
  handle: OperationHandle,
): Promise<boolean> {
  const id = requestIdIn(calls, handle.urls?.cancel, handle);
  try {
    await ctx.send("read", { ...calls.opts("cancel the request"), schema: CancelResponse }, (signal) =>
      calls.queue.PUT("/fal-ai/ideogram/requests/{request_id}/cancel", {
        params: { path: { request_id: id } },
        parseAs: "text",
        signal,
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ApiError && (error.status === 400 || error.status === 404)) return false;
    throw error;
  }
}
