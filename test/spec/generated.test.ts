import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderTypes } from "../../scripts/generate-types.ts";
import { generatedPath, specNames } from "../../scripts/spec-files.ts";

describe("generated/ matches specs/", () => {
  it.each(specNames())(
    "generated/%s.ts is what openapi-typescript makes of its spec (run `npm run generate`)",
    async (name) => {
      const committed = readFileSync(generatedPath(name), "utf8");
      expect(committed === (await renderTypes(name))).toBe(true);
    },
  );

  it("covers every provider document", () => {
    expect(specNames()).toEqual(["chainhub", "fal", "fal-sync", "freepik", "ideogram", "onemin"]);
  });
});
