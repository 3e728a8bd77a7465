/**
 * The bytes behind an input URL a provider downloads: the simulator's own files are read
 * in-process; any other URL is a remote input (a stand-in image by default, see
 * mocks/engine/remote-inputs.ts). `undefined` when neither yields an image, which each
 * provider answers with its own "cannot download" error.
 */
import type { RouteContext } from "../../engine/provider.ts";

export async function readInputUrl(ctx: RouteContext, url: string): Promise<Uint8Array | undefined> {
  const remote = await ctx.remoteInput(url);
  if (remote) return remote.ok ? remote.data : undefined;
  return (await ctx.fetchOwn(url).catch(() => undefined))?.data;
}
