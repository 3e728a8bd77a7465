/**
 * The package's build: every public entry point, compiled to ESM JavaScript with bundled `.d.ts`
 * (and their maps) in dist/, plus the CLI. `publicEntries` is the one list of what the package
 * exports: `npm run build` writes package.json's `exports` from it, so adding an entry is one line.
 */
import { defineConfig } from "tsdown";

/** Subpath (`.` is the package itself) → source file. */
export const publicEntries = {
  ".": "src/index.ts",
  "./clock": "src/core/clock.ts",
  "./msw": "mocks/msw.ts",
  "./msw-browser": "mocks/msw-browser.ts",
  "./simulator": "mocks/simulator.ts",
  "./server": "mocks/server/server.ts",
  "./vitest": "mocks/vitest.ts",
  "./proxy": "mocks/proxy/register.ts",
} as const;

/** Exported as files rather than modules. */
export const fileExports = { "./specs/*": "./specs/*", "./package.json": "./package.json" } as const;

/** The bin's bundle (not an export). */
export const cliEntry = { cli: "src/cli/main.ts" } as const;

/** dist/ file name (without extension) of a subpath: `.` → index, `./msw` → msw. */
export const distName = (subpath: string) => (subpath === "." ? "index" : subpath.slice(2));

export default defineConfig({
  entry: {
    ...Object.fromEntries(Object.entries(publicEntries).map(([subpath, file]) => [distName(subpath), file])),
    ...cliEntry,
  },
  format: "esm",
  platform: "node",
  target: "node20",
  outDir: "dist",
  // `.js` and `.d.ts` (the package is `type: module`).
  fixedExtension: false,
  sourcemap: true,
  dts: { sourcemap: true },
  // Everything in dependencies and peerDependencies stays an import; nothing from node_modules
  // may be bundled by accident. The dashboard's spec check loads these development tools when
  // they are installed and says how to install them when not, so they stay imports too.
  deps: { onlyBundle: [], neverBundle: [/^(ajv|ajv-formats|yaml)(\/|$)/] },
  logLevel: "warn",
});
