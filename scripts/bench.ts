/**
 * `npm run bench`: compiles bench/run.ts with esbuild (dependencies stay external) and runs the
 * result with plain node, passing the arguments on. The benchmarks then time JavaScript as an
 * app's build emits it, rather than the TypeScript loader's output (which wraps every closure to
 * keep its name) with the loader's worker thread busy beside it on a 2-core machine.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { build } from "esbuild";
import { projectRoot } from "./spec-files.ts";

const outfile = join(projectRoot, ".tmp", "bench", "run.mjs");
await build({
  entryPoints: [join(projectRoot, "bench", "run.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
const run = spawnSync(process.execPath, ["--enable-source-maps", outfile, ...process.argv.slice(2)], {
  stdio: "inherit",
});
process.exit(run.status ?? 1);
