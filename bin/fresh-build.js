// Whether dist/ was built from the sources as they are now: no file the build read (listed in
// dist/manifest.json) is newer than dist/cli.js. Shared by the bin and the packaging scripts.
import { readFileSync, statSync } from "node:fs";

/** `root`: the package root as a file URL ending in "/". */
export function isBuildFresh(root) {
  try {
    const manifest = JSON.parse(readFileSync(new URL("dist/manifest.json", root), "utf8"));
    const built = statSync(new URL("dist/cli.js", root)).mtimeMs;
    return manifest.inputs.every((file) => statSync(new URL(file, root)).mtimeMs <= built);
  } catch {
    return false;
  }
}
