/**
 * Every provider's happy path through the unified client, against the MSW simulators on the
 * real hosts: real images in, real 2x (or more) images out, dimensions checked on the bytes.
 */
import { describe, expect, it } from "vitest";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { createUpscaler, type ProgressEvent, type ProviderId } from "../../src/index.ts";
import { useSimulators } from "../helpers/harness.ts";

const h = useSimulators();
const apiKeys = {
  ideogram: "id-key",
  chainhub: "ch-key",
  fal: "fal-id:fal-secret",
  onemin: "om-key",
  freepik: "fp-key",
};

function client(provider: ProviderId, events: ProgressEvent[] = []) {
  return createUpscaler({ provider, apiKeys, clock: h.clock, onProgress: (e) => events.push(e) });
}

describe("happy paths", () => {
  it.each(["freepik", "ideogram", "chainhub", "onemin", "fal"] as const)(
    "%s upscales a real image 2x",
    async (provider) => {
      const events: ProgressEvent[] = [];
      const image = await makeImage(40, 30);
      const result = await client(provider, events).upscale(image, { prompt: "a gradient" });
      expect(result.provider).toBe(provider);
      expect(result.images).toHaveLength(1);
      expect(result.images[0]).toMatchObject({ width: 80, height: 60 });
      const bytes = await result.download();
      expect(await dimensionsOf(bytes)).toMatchObject({ width: 80, height: 60 });
      expect(events.at(-1)).toMatchObject({ type: "done", state: "succeeded" });
    },
  );

  it.each([
    ["queue with a storage upload", { upload: "storage" as const }],
    ["sync on fal.run", { mode: "sync" as const }],
    ["sync_mode (inline data URI)", { sync_mode: true }],
  ])("fal %s", async (_label, fal) => {
    const result = await client("fal").upscale(await makeImage(24, 20, "jpeg"), { providerOptions: { fal } });
    expect(result.images[0]).toMatchObject({ width: 48, height: 40 });
    expect(await dimensionsOf(await result.download())).toMatchObject({
      width: 48,
      height: 40,
      format: "jpeg",
    });
  });
});
