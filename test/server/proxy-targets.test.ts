/**
 * A provider's proxy header routes a call by the target it names, but only onto that provider:
 * its real origins or its own address on the server.
 */
import { describe, expect, it } from "vitest";
import type { ProviderDefinition } from "../../mocks/engine/provider.ts";
import { providerDefinitions } from "../../mocks/providers/index.ts";
import { ProxyTargets } from "../../mocks/server/proxy-targets.ts";

const definitions = new Map(
  Object.values(providerDefinitions).map((d): [string, ProviderDefinition] => [d.id, d]),
);
const targets = new ProxyTargets(definitions);
const header = "x-fal-target-url";
const nowhere = () => undefined;

describe("proxy targets", () => {
  it("an ordinary request (no declared header) is not a proxied call", () => {
    expect(targets.route({ "x-other": "https://queue.fal.run/x" }, nowhere)).toBeUndefined();
  });

  it("a target on the declaring provider's real origin is routed there, path and query included", () => {
    const call = targets.route({ [header]: "https://queue.fal.run/fal-ai/ideogram/upscale?a=1" }, nowhere);
    expect(call).toEqual({
      located: { provider: "fal", host: "queue", path: "/fal-ai/ideogram/upscale" },
      path: "/fal-ai/ideogram/upscale",
      query: "a=1",
    });
  });

  it("another provider's origin, an unknown host or a bad URL is routed nowhere", () => {
    for (const target of ["https://api.ideogram.ai/upscale", "https://host.invalid/x", "not a url"])
      expect(targets.route({ [header]: target }, nowhere)?.located, target).toBeUndefined();
  });

  it("the server's own address counts only when it is the declaring provider's", () => {
    const own = (provider: string) => () => ({ provider, host: "api", path: "/upscale" });
    expect(targets.route({ [header]: "http://127.0.0.1:1/x" }, own("fal"))?.located?.provider).toBe("fal");
    expect(targets.route({ [header]: "http://127.0.0.1:1/x" }, own("ideogram"))?.located).toBeUndefined();
  });
});
