/**
 * The dashboard: a plain HTML page, its module script and its stylesheet, each read once, no
 * build step. They are served under /__admin without the token (every data call the script
 * makes carries it), with a policy that lets the page run only the server's own files and
 * forbids framing it (its scenario switches must not be clickjacked).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.ts";

/** Admin path (under /__admin/) → the file served there and its content type. */
export const dashboardFiles: Readonly<Record<string, { file: string; type: string }>> = {
  ui: { file: "mocks/server/dashboard.html", type: "text/html; charset=utf-8" },
  "ui.js": { file: "mocks/server/dashboard.js", type: "text/javascript; charset=utf-8" },
  "ui.css": { file: "mocks/server/dashboard.css", type: "text/css; charset=utf-8" },
  ...Object.fromEntries(
    ["lib", "timeline", "detail", "charts", "compare"].map((view) => [
      `ui-${view}.js`,
      { file: `mocks/server/ui-${view}.js`, type: "text/javascript; charset=utf-8" },
    ]),
  ),
};

/**
 * No inline script or style, no framing, data calls and images from this origin only. `data:`
 * images cover the page's empty favicon.
 */
export const dashboardPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const dashboardHeaders: Readonly<Record<string, string>> = Object.freeze({
  "content-security-policy": dashboardPolicy,
  "x-frame-options": "DENY",
});

const cache = new Map<string, string>();

/** The dashboard file served at `/__admin/<path>`, or undefined when none is. */
export function dashboardFile(path: string): { text: string; type: string } | undefined {
  const entry = Object.hasOwn(dashboardFiles, path) ? dashboardFiles[path] : undefined;
  if (!entry) return undefined;
  let text = cache.get(entry.file);
  if (text === undefined) {
    text = readFileSync(join(packageRoot, entry.file), "utf8");
    cache.set(entry.file, text);
  }
  return { text, type: entry.type };
}
