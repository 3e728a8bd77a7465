import { readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { packageRoot } from "../src/package-root.ts";

/** The project root, wherever the script is run from. */
export const projectRoot = packageRoot;

/** Every provider document in specs/, by its name without `.yaml` (e.g. `fal-sync`). */
export function specNames(): string[] {
  return readdirSync(join(projectRoot, "specs"))
    .filter((file) => file.endsWith(".yaml"))
    .map((file) => basename(file, ".yaml"))
    .sort();
}

export function specPath(name: string): string {
  return join(projectRoot, "specs", `${name}.yaml`);
}

export function generatedPath(name: string): string {
  return join(projectRoot, "generated", `${name}.ts`);
}
