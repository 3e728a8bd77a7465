/** Reserving real upscaled results: URLs can be handed out before sharp has finished. */
import type { ImageFormat } from "../../engine/images.ts";
import type { RouteContext } from "../../engine/provider.ts";

export interface ReserveOptions {
  input: Uint8Array;
  scale: number;
  ttlMs: number;
  /** Distinguishes outputs that would differ (e.g. the n-th of num_images). */
  variant?: string;
  /** Output format when the provider does not keep the input's. */
  format?: ImageFormat;
}

/** Reserves one upscaled output in the file store; returns its id. */
export function reserveUpscale(ctx: RouteContext, options: ReserveOptions): string {
  // The input is kept beside the output so the dashboard can show them side by side.
  const source = ctx.sim.files.put({
    namespace: ctx.ns.name,
    provider: ctx.provider,
    contentType: "application/octet-stream",
    data: options.input,
    createdAt: ctx.ns.clock.now(),
    expiresAt: ctx.ns.clock.now() + options.ttlMs,
  });
  return ctx.sim.outputs.reserve({
    namespace: ctx.ns.name,
    provider: ctx.provider,
    clock: ctx.ns.clock,
    ttlMs: options.ttlMs,
    sourceId: source.id,
    produce: async () => {
      const image = await ctx.sim.images.upscale(options.input, {
        scale: options.scale,
        ...(options.variant ? { variant: options.variant } : {}),
        ...(options.format ? { format: options.format } : {}),
      });
      return { data: image.data, contentType: image.contentType, width: image.width, height: image.height };
    },
  });
}

/** Serves a stored output, answering `expired` when its link has lapsed or the scenario says so. */
export async function serveOutput(
  ctx: RouteContext,
  id: string,
): Promise<
  { kind: "ok"; data: Uint8Array; contentType: string } | { kind: "missing" } | { kind: "expired" }
> {
  const expiresAt = ctx.sim.outputs.expiresAt(id);
  if (expiresAt === undefined) return { kind: "missing" };
  if (ctx.ns.clock.now() > expiresAt || ctx.faults.some((f) => f.kind === "expired-urls"))
    return { kind: "expired" };
  const file = await ctx.sim.outputs.get(id);
  if (!file) return { kind: "missing" };
  return { kind: "ok", data: file.data, contentType: file.contentType };
}
