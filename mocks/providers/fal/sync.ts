/**
 * `POST https://fal.run/fal-ai/ideogram/upscale`: the run happens while the connection is held,
 * and the answer is the model output or the error the run ended with.
 */
import { randomUUID } from "node:crypto";
import type { Route } from "../../engine/provider.ts";
import { hang, json } from "../../engine/sim-http.ts";
import { hasFault, sampleDuration } from "../common/lifecycle.ts";
import { answer, contentPolicyViolation, exhaustedBalance, infraError, withRequestId } from "./errors.ts";
import { loadImage, parseUpscaleInput, requestTimeoutMs } from "./input.ts";
import { buildOutput, planOutput, randomSeed } from "./output.ts";

/** fal.run still waits for a runner before the run starts [ours]. */
const startMs: [number, number] = [200, 2_000];
const runMs: [number, number] = [5_000, 20_000];

export const runUpscale: Route = {
  host: "run",
  method: "POST",
  path: "/fal-ai/ideogram/upscale",
  operation: "runUpscale",
  phase: "submit",
  async handle(ctx) {
    const requestId = randomUUID();
    const reply = (response: Parameters<typeof withRequestId>[0]) => withRequestId(response, requestId);
    if (hasFault(ctx, "no-credit")) return reply(exhaustedBalance());
    const parsed = parseUpscaleInput(ctx);
    if (!parsed.ok) return reply(answer(parsed.error));
    const { input } = parsed;
    const image = await loadImage(ctx, input.image_url);
    if (!image.ok) return reply(answer(image.error));

    const waitMs = sampleDuration(ctx, startMs);
    const timeoutMs = requestTimeoutMs(ctx);
    const stuck = hasFault(ctx, "stuck");
    if (stuck || (timeoutMs !== undefined && waitMs > timeoutMs)) {
      // No runner picks the request up: it waits until the caller's start timeout, or forever.
      if (timeoutMs === undefined) return hang();
      await ctx.work(timeoutMs);
      return reply(
        answer(
          infraError("request_timeout", "Request timed out before it started (x-fal-request-timeout).", true),
        ),
      );
    }
    await ctx.work(waitMs + sampleDuration(ctx, runMs));
    if (hasFault(ctx, "task-failure")) return reply(answer(contentPolicyViolation()));

    const seed = input.seed ?? randomSeed(ctx.ns.random);
    const plan = planOutput(ctx, image, input.sync_mode ?? false, seed);
    try {
      return reply(json(200, await buildOutput(ctx.sim, plan, ctx.ns.name)));
    } catch {
      return reply(answer(infraError("internal_error")));
    }
  },
};
