/**
 * The size rule (scripts/lib/file-sizes.ts): no code file in src/, mocks/ or scripts/ is over
 * 400 lines. The project must hold it, and the check must catch a file one line over.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lineCount, maxFileLines, oversizeFiles } from "../../scripts/lib/file-sizes.ts";
import { packageRoot } from "../../src/package-root.ts";

const dir = mkdtempSync(join(tmpdir(), "size-rule-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (n: number) => Array.from({ length: n }, (_, i) => `export const v${i} = ${i};\n`).join("");

describe("the size rule", () => {
  it(`no code file in src/, mocks/ or scripts/ is over ${maxFileLines} lines`, () => {
    expect(oversizeFiles(packageRoot)).toEqual([]);
  });

  it("reports a file one line over the limit, in any folder depth, and nothing at the limit", () => {
    mkdirSync(join(dir, "src/deep/er"), { recursive: true });
    mkdirSync(join(dir, "mocks"), { recursive: true });
    writeFileSync(join(dir, "src/deep/er/long.ts"), lines(maxFileLines + 1));
    writeFileSync(join(dir, "src/at-limit.ts"), lines(maxFileLines));
    writeFileSync(join(dir, "mocks/long.js"), lines(maxFileLines + 5));
    writeFileSync(join(dir, "mocks/long.css"), lines(maxFileLines + 5));
    expect(oversizeFiles(dir, ["src", "mocks"]).sort((a, b) => a.file.localeCompare(b.file))).toEqual([
      { file: "mocks/long.js", lines: maxFileLines + 5 },
      { file: join("src", "deep", "er", "long.ts"), lines: maxFileLines + 1 },
    ]);
  });

  it("counts lines as an editor shows them", () => {
    expect(lineCount("")).toBe(0);
    expect(lineCount("a")).toBe(1);
    expect(lineCount("a\n")).toBe(1);
    expect(lineCount("a\nb")).toBe(2);
  });
});
