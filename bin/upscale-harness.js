#!/usr/bin/env node
// Runs the built CLI from dist/. In a checkout whose sources are newer than that build it runs
// the TypeScript sources through tsx instead, so an edit is never hidden by an old build; an
// installed package has no tsx (a devDependency) and always runs dist/.
import { isBuildFresh } from "./fresh-build.js";

const root = new URL("../", import.meta.url);

async function loadTsx() {
  try {
    return await import("tsx/esm/api");
  } catch {
    return undefined;
  }
}

const tsx = isBuildFresh(root) ? undefined : await loadTsx();
if (tsx) {
  tsx.register();
  await import(new URL("src/cli/main.ts", root).href);
} else {
  await import(new URL("dist/cli.js", root).href);
}
