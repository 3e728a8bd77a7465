/**
 * Builds dist/ with tsdown (tsdown.config.ts), then:
 * - writes package.json's `exports` from the config's entry list (types first), so the list of
 *   entries lives in one place;
 * - writes dist/manifest.json, the sources the build read: the bin runs dist/cli.js only while
 *   none of them is newer (an edit is never hidden by an old build).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { build } from "tsdown";
import { dashboardFiles } from "../mocks/server/dashboard.ts";
import config from "../tsdown.config.ts";
import { expectedExports } from "./package-exports.ts";
import { projectRoot } from "./spec-files.ts";

const inputs = new Set<string>();
await build({
  ...config,
  config: false,
  plugins: [
    {
      name: "list-inputs",
      buildEnd() {
        for (const id of this.getModuleIds()) {
          const file = id.split("?")[0]!;
          if (file.startsWith(projectRoot) && !file.includes(`${sep}node_modules${sep}`) && existsSync(file))
            inputs.add(relative(projectRoot, file));
        }
      },
    },
  ],
});
blankUnusedImports(join(projectRoot, "dist"));

// Read at run time (not bundled), so an edit to them must count too.
for (const { file } of Object.values(dashboardFiles)) inputs.add(file);
writeFileSync(
  join(projectRoot, "dist/manifest.json"),
  `${JSON.stringify({ builtAt: Date.now(), inputs: [...inputs].sort() }, null, 2)}\n`,
);

const manifestPath = join(projectRoot, "package.json");
const pkg = JSON.parse(readFileSync(manifestPath, "utf8")) as { exports?: unknown };
const exports = expectedExports();
if (JSON.stringify(pkg.exports) !== JSON.stringify(exports)) {
  pkg.exports = exports;
  writeFileSync(manifestPath, `${JSON.stringify(pkg, null, 2)}\n`);
  console.log("package.json: exports updated from tsdown.config.ts");
}
console.log(`dist/ from ${inputs.size} sources`);

/**
 * The declaration bundler keeps a package's import after tree-shaking away every type that used
 * it (zod's, from internal signatures), and then a consumer's type check loads and checks that
 * package for nothing. Such an import line is blanked (not removed, so the maps stay right).
 */
function blankUnusedImports(dir: string): void {
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".d.ts"))) {
    const path = join(dir, name);
    const lines = readFileSync(path, "utf8").split("\n");
    const kept = lines.map((line, index) => {
      const found = /^import (?:type )?\{ ([^}]+) \} from "[^".][^"]*";$/.exec(line);
      if (!found) return line;
      const bindings = found[1]!.split(",").map((part) =>
        part
          .trim()
          .split(/\s+as\s+/)
          .pop()!
          .replace(/^type /, ""),
      );
      const rest = lines.filter((_, other) => other !== index).join("\n");
      return bindings.some((binding) => new RegExp(`\\b${binding}\\b`).test(rest)) ? line : "";
    });
    if (kept.some((line, index) => line !== lines[index])) writeFileSync(path, kept.join("\n"));
  }
}
