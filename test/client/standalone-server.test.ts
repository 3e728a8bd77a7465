/**
 * The client against the standalone simulator server over real HTTP, with every base URL
 * overridden: the same code that talks to the real hosts talks to the server's prefixes, and
 * URLs the server hands back (on its own origin) are followed because they are on a configured
 * base URL.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { createUpscaler, type ProviderId, type UpscalerConfig } from "../../src/index.ts";

const clock = new VirtualClock({ autoAdvance: true });
let server: MockServer;

beforeAll(async () => {
  server = await startMockServer({ port: 0, clock, seed: 7 });
});
afterAll(() => server.close(100));

function baseUrls(): UpscalerConfig["baseUrls"] {
  const u = server.urls;
  return {
    ideogram: u["ideogram.api"]!,
    chainhub: u["chainhub.api"]!,
    fal: `${server.url}/fal`,
    onemin: { api: u["onemin.api"]!, asset: u["onemin.asset"]! },
    freepik: u["freepik.api"]!,
  };
}

describe("against the standalone server", () => {
  it.each(["freepik", "fal", "chainhub", "ideogram", "onemin"] as const)(
    "%s",
    async (provider: ProviderId) => {
      const upscaler = createUpscaler({
        provider,
        apiKeys: { [provider]: "local-key" },
        baseUrls: baseUrls(),
        clock,
      });
      const result = await upscaler.upscale(await makeImage(14, 10), {
        providerOptions: { fal: { upload: "storage" } },
      });
      expect(result.images[0]!.url.startsWith(server.url)).toBe(true);
      expect(await dimensionsOf(await result.download())).toMatchObject({ width: 28, height: 20 });
    },
  );
});
