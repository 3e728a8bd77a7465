/** Every pact against its OpenAPI document(s) (fal: fal.yaml and fal-sync.yaml): no errors. */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { pactFileOf } from "../../contracts/provider/verify.ts";
import { compareWithSpecs, formatFinding } from "../../contracts/spec-comparison.ts";
import { providerIds } from "../../src/index.ts";

describe("pacts against specs", () => {
  it.each(providerIds)("%s: the pact agrees with its spec", async (provider) => {
    const errors = (await compareWithSpecs(provider)).filter((f) => f.type === "error");
    expect(errors.map(formatFinding)).toEqual([]);
  });

  it("a mismatch names the interaction and the spec path", async () => {
    const dir = await mkdtemp(join(tmpdir(), "upscale-harness-spec-"));
    try {
      const pact = JSON.parse(await readFile(pactFileOf("freepik"), "utf8"));
      const submit = pact.interactions.find(
        (i: { description: string }) => i.description === "an upscale task submitted",
      );
      submit.response.body.content.data.status = "QUEUED";
      const file = join(dir, "broken.json");
      await writeFile(file, JSON.stringify(pact));
      const errors = (await compareWithSpecs("freepik", file)).filter((f) => f.type === "error");
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({
        interaction: "an upscale task submitted",
        spec: "specs/freepik.yaml",
        specPath: "POST /v1/ai/image-upscaler",
      });
      expect(formatFinding(errors[0]!)).toContain("an upscale task submitted");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
