/**
 * Every page a spec cites as `x-source` is listed in `docs/providers.md` under "Checking the
 * sources", with whether it could be confirmed, so no source enters a spec unrecorded.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { packageRoot } from "../../src/package-root.ts";

function sourcesIn(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) for (const item of node) sourcesIn(item, found);
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "x-source" && typeof value === "string") found.add(value);
      else sourcesIn(value, found);
    }
  }
  return found;
}

/** A cited URL as the table writes it: no scheme, no anchor. */
const tableForm = (url: string) => url.replace(/^https:\/\//, "").replace(/#.*$/, "");

const specsDir = join(packageRoot, "specs");
const providersDoc = readFileSync(join(packageRoot, "docs/providers.md"), "utf8");
const table = providersDoc.slice(providersDoc.indexOf("## Checking the sources"));

describe("x-source pages are recorded in docs/providers.md", () => {
  it("has the table", () => {
    expect(table.startsWith("## Checking the sources")).toBe(true);
  });

  for (const file of readdirSync(specsDir).filter((f) => f.endsWith(".yaml"))) {
    it(`${file}: every cited page has a row`, () => {
      const cited = [...sourcesIn(parse(readFileSync(join(specsDir, file), "utf8")), new Set())];
      expect(cited.length).toBeGreaterThan(0);
      expect(cited.filter((url) => !table.includes(`\`${tableForm(url)}\``))).toEqual([]);
    });
  }
});
