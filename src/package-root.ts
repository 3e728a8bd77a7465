/**
 * The package's root folder (where specs/ and mocks/server/dashboard.html live), found by walking
 * up from this module: the same answer from the sources and from the bundle in dist/.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "upscale-harness"
    ) {
      return dir;
    }
    if (dirname(dir) === dir)
      throw new Error(`Failed to find the upscale-harness package root above ${start}.`);
  }
}

export const packageRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
