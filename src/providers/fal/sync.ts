/** Sync mode: one held request on fal.run, whose answer is the output (a `done` handle). */
import type { CallContext, StartedJob } from "../../core/adapter.ts";
import type { Warnings } from "../../core/mapping.ts";
import type { FalCalls } from "./calls.ts";
import type { FalOptions, FalUpscaleOptions } from "./options.ts";
import { type UpscaleInput, UpscaleOutput } from "./schemas.ts";

export async function runSync(
  calls: FalCalls,
  ctx: CallContext,
  payload: UpscaleInput,
  options: FalUpscaleOptions,
  warnings: Warnings,
): Promise<Omit<StartedJob, "scale">> {
  const native: FalOptions = options.providerOptions?.fal ?? {};
  if (options.webhookUrl) warnings.dropped("webhookUrl", "sends webhooks for queued runs only (mode: queue)");
  const { raw, response } = await ctx.send(
    "start",
    { ...calls.opts("submit the upscale"), schema: UpscaleOutput },
    (signal) =>
      calls.run.POST("/fal-ai/ideogram/upscale", {
        body: payload,
        params: {
          header: {
            ...(native.startTimeoutSeconds ? { "x-fal-request-timeout": native.startTimeoutSeconds } : {}),
          },
        },
        parseAs: "text",
        signal,
      }),
  );
  const id = response.headers.get("x-fal-request-id") ?? ctx.clientRequestId;
  return { id, state: "done", output: raw };
}
