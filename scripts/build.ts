/**
 * Bundles the CLI into dist/ with esbuild (dependencies stay external), so `upscale-harness`
 * starts without compiling TypeScript. dist/manifest.json lists the sources it was built from;
 * the bin falls back to running the sources when any of them is newer (no stale builds).
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { build } from "esbuild";
import { dashboardFiles } from "../mocks/server/dashboard.ts";
import { projectRoot } from "./spec-files.ts";

const outdir = join(projectRoot, "dist");
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: [join(projectRoot, "src/cli/main.ts")],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  metafile: true,
  sourcemap: true,
  entryNames: "cli",
  chunkNames: "chunks/[name]-[hash]",
  logLevel: "warning",
});
const inputs = Object.keys(result.metafile.inputs).map((file) =>
  relative(projectRoot, join(process.cwd(), file)),
);
// Files read at run time (not bundled) count as inputs too.
inputs.push(...Object.values(dashboardFiles).map((entry) => entry.file));
writeFileSync(join(outdir, "manifest.json"), `${JSON.stringify({ builtAt: Date.now(), inputs }, null, 2)}\n`);
console.log(`dist/cli.js from ${inputs.length} sources`);
