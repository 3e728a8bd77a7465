#!/usr/bin/env node
// Runs the built CLI from dist/. In a checkout whose sources are newer than that build it runs
// the TypeScript sources through tsx instead, so an edit is never hidden by an old build; an
// installed package has no tsx (a devDependency) and always runs dist/.
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

async function loadTsx() {
  try {
    return await import("tsx/esm/api");
  } catch {
    return undefined;
  }
}

const tsx = freshBuild() ? undefined : await loadTsx();
if (tsx) {
  tsx.register();
  await import(new URL("src/cli/main.ts", root).href);
} else {
  await import(new URL("dist/cli.js", root).href);
}
