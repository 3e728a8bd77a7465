/**
 * `npm run lint:package`: package.json's `exports` are the ones the build config's entry list
 * makes, and the packed package has zero findings from publint (suggestions included) and from
 * are-the-types-wrong under its ESM profile (the package ships no CommonJS build; require() of
 * the ESM entries works from Node 20.19, the `engines` floor).
 */
import { readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { packageRoot } from "../src/package-root.ts";
import { packPackage, run } from "./pack.ts";
import { expectedExports } from "./package-exports.ts";

const problems: string[] = [];
const pkg = JSON.parse(await readFile(join(packageRoot, "package.json"), "utf8")) as { exports?: unknown };
if (JSON.stringify(pkg.exports) !== JSON.stringify(expectedExports())) {
  problems.push("package.json exports differ from tsdown.config.ts's entries: run `npm run build`.");
}

const tarball = await packPackage();
try {
  const data = await readFile(tarball);
  const linted = await publint({
    pack: { tarball: data.buffer as ArrayBuffer },
    level: "suggestion",
    strict: true,
  });
  for (const message of linted.messages) problems.push(`publint: ${formatMessage(message, linted.pkg)}`);

  const attw = join(packageRoot, "node_modules/@arethetypeswrong/cli/dist/index.js");
  const types = await run(process.execPath, [attw, tarball, "--profile", "esm-only", "--format", "ascii"], {
    cwd: packageRoot,
  });
  if (types.code !== 0) problems.push(`are-the-types-wrong:\n${types.stdout}${types.stderr}`);
} finally {
  await rm(dirname(tarball), { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("package: exports match the build, publint and are-the-types-wrong (ESM) found nothing");
