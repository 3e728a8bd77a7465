/**
 * The size rule: no code file in the library, the simulators or the runners' shared code is over
 * 400 lines, so each file stays one idea a reader can hold. Checked by
 * test/lint/file-size.test.ts, which `npm test` runs.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

export const maxFileLines = 400;

/** The folders the rule covers, relative to the package root. */
export const sizeRuleFolders = ["src", "mocks", "scripts"];

/** Code files: TypeScript and JavaScript (stylesheets, pages and data are not counted). */
const codeFile = /\.(?:[cm]?ts|[cm]?js)$/;

function* filesUnder(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* filesUnder(path);
    else if (codeFile.test(entry.name)) yield path;
  }
}

export function lineCount(text: string): number {
  if (text === "") return 0;
  return text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
}

/** Every code file under `folders` (of `root`) longer than `limit` lines, with its length. */
export function oversizeFiles(
  root: string,
  folders: readonly string[] = sizeRuleFolders,
  limit = maxFileLines,
): Array<{ file: string; lines: number }> {
  const found: Array<{ file: string; lines: number }> = [];
  for (const folder of folders) {
    for (const path of filesUnder(join(root, folder))) {
      const lines = lineCount(readFileSync(path, "utf8"));
      if (lines > limit) found.push({ file: relative(root, path), lines });
    }
  }
  return found;
}
