/** Reserving real upscaled results: URLs can be handed out before sharp has finished. */
import { type ImageFormat, sniffedContentType } from "../../engine/images.ts";
import type { RouteContext } from "../../engine/provider.ts";

export interface ReserveOptions {
  input: Uint8Array;
  scale: number;
  ttlMs: number;
  /** Output format when the provider does not keep the input's. */
  format?: ImageFormat;
}

/** One stored copy per input, however many outputs (num_images) come from it. */
const storedInputs = new WeakMap<Uint8Array, string>();

/**
 * Reserves one upscaled output; returns its id. The input lives in the bounded FileStore (which
 * also lets the dashboard show it beside the output), and the render reads it from there, so a
 * pending render holds an id, not the request or its bytes. The num_images outputs of one request
 * get their own ids but share one render: the upscale is deterministic.
 */
export function reserveUpscale(ctx: RouteContext, options: ReserveOptions): string {
  const { files, images } = ctx.sim;
  let sourceId = storedInputs.get(options.input);
  if (!sourceId || !files.get(sourceId)) {
    sourceId = files.put({
      namespace: ctx.ns.name,
      provider: ctx.provider,
      // The input passed inspectImage, so its bytes name its type; the dashboard shows it as such.
      contentType: sniffedContentType(options.input, "application/octet-stream"),
      data: options.input,
      createdAt: ctx.ns.clock.now(),
      expiresAt: ctx.ns.clock.now() + options.ttlMs,
    }).id;
    storedInputs.set(options.input, sourceId);
  }
  const source = sourceId;
  const params = {
    scale: options.scale,
    ...(options.format ? { format: options.format } : {}),
  };
  return ctx.sim.outputs.reserve({
    namespace: ctx.ns.name,
    provider: ctx.provider,
    clock: ctx.ns.clock,
    ttlMs: options.ttlMs,
    sourceId: source,
    recipe: params,
    produce: async () => {
      const input = files.get(source);
      if (!input) throw new Error("The input image was evicted from the file store before it was rendered.");
      const image = await images.upscale(input.data, params);
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
  // Also one another replica reserved or stored, when replicas share a store.
  const expiresAt = await ctx.sim.outputs.lookup(id, ctx.ns.name);
  if (expiresAt === undefined) return { kind: "missing" };
  if (ctx.ns.clock.now() > expiresAt || ctx.faults.some((f) => f.kind === "expired-urls"))
    return { kind: "expired" };
  // A render that failed (an image whose header looked fine but whose data was not) serves as missing.
  const file = await ctx.sim.outputs.get(id, ctx.ns.name).catch(() => undefined);
  if (!file) return { kind: "missing" };
  return { kind: "ok", data: file.data, contentType: file.contentType };
}
