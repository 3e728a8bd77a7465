/**
 * `useUpscaleSimulators({ fixtures })` as an app's test would use it: the unified client sends
 * fal's documented example URL, and the simulator upscales the user's own image in its place.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { useUpscaleSimulators } from "../../mocks/vitest.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { createUpscaler } from "../../src/index.ts";

const falExample = "https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png";
const dir = mkdtempSync(join(tmpdir(), "vitest-fixtures-"));
writeFileSync(join(dir, "e6RtJf_ue0vyWzeiEmTby.png"), await makeImage(50, 40));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sim = useUpscaleSimulators({ providers: ["fal"], fixtures: dir });

it("fal's documented example URL upscales the user's file named like it", async () => {
  const upscaler = createUpscaler({ provider: "fal", apiKeys: { fal: "id:secret" }, clock: sim.clock });
  const result = await upscaler.upscale(falExample);
  expect(await dimensionsOf(await result.download())).toMatchObject({ width: 100, height: 80 });
  const notes = sim.journal({ provider: "fal" }).flatMap((entry) => entry.notes ?? []);
  expect(notes).toEqual([
    `Input ${falExample} is not served here: the fixture e6RtJf_ue0vyWzeiEmTby.png took its place.`,
  ]);
});
