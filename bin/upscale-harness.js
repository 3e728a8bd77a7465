#!/usr/bin/env node
// Runs the bundled CLI from dist/ when it is up to date with its sources (fast start), else the
// TypeScript sources through tsx, so an edit is never hidden by an old build.
import { readFileSync, statSync } from "node:fs";

const root = new URL("../", import.meta.url);

function freshBuild() {
  try {
    const manifest = JSON.parse(readFileSync(new URL("dist/manifest.json", root), "utf8"));
    const built = statSync(new URL("dist/cli.js", root)).mtimeMs;
    return manifest.inputs.every((file) => statSync(new URL(file, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}

if (freshBuild()) {
  await import(new URL("dist/cli.js", root).href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("src/cli/main.ts", root).href);
}
