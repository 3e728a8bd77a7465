/**
 * Turns every specs/<name>.yaml into generated/<name>.ts with openapi-typescript.
 * `--check` writes nothing and exits 1 when a committed file differs from what its spec generates.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import { generatedPath, specNames, specPath } from "./spec-files.ts";

const header = (name: string) =>
  `/**\n * Generated from specs/${name}.yaml by \`npm run generate\` (openapi-typescript). Do not edit.\n */\n\n`;

export async function renderTypes(name: string): Promise<string> {
  const ast = await openapiTS(pathToFileURL(specPath(name)), {
    alphabetize: false,
    defaultNonNullable: false,
  });
  return header(name) + astToString(ast);
}

async function main(check: boolean): Promise<number> {
  let drifted = 0;
  for (const name of specNames()) {
    const fresh = await renderTypes(name);
    const target = generatedPath(name);
    if (check) {
      let current = "";
      try {
        current = readFileSync(target, "utf8");
      } catch {}
      if (current !== fresh) {
        drifted++;
        console.error(
          `generated/${name}.ts is out of date with specs/${name}.yaml. Run \`npm run generate\`.`,
        );
      }
    } else {
      writeFileSync(target, fresh);
      console.log(`generated/${name}.ts`);
    }
  }
  return drifted === 0 ? 0 : 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.includes("--check"));
}
