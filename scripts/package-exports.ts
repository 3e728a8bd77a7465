/** package.json's `exports` as the build config's entry list defines them: types first. */
import { distName, fileExports, publicEntries } from "../tsdown.config.ts";

export function expectedExports(): Record<string, unknown> {
  const modules = Object.fromEntries(
    Object.keys(publicEntries).map((subpath) => [
      subpath,
      { types: `./dist/${distName(subpath)}.d.ts`, default: `./dist/${distName(subpath)}.js` },
    ]),
  );
  return { ...modules, ...fileExports };
}
