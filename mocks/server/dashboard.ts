/** The dashboard page: plain HTML and a module script, read once, no build step. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.ts";

let cached: string | undefined;

export function dashboardHtml(): string {
  cached ??= readFileSync(join(packageRoot, "mocks/server/dashboard.html"), "utf8");
  return cached;
}
