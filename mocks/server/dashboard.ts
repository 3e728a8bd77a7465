/** The dashboard page: plain HTML and a module script, read once, no build step. */
import { readFileSync } from "node:fs";

let cached: string | undefined;

export function dashboardHtml(): string {
  cached ??= readFileSync(new URL("./dashboard.html", import.meta.url), "utf8");
  return cached;
}
