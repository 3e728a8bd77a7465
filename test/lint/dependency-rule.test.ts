/**
 * The layer rule (`.dependency-cruiser.cjs`, run by `npm run lint`) must refuse the imports it is
 * there to refuse. A small tree in a temporary folder holds one violation per rule plus the
 * imports the rule allows; dependency-cruiser runs on it with the project's own configuration.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.ts";

/** file → its content: each non-empty file imports the files it names. */
const tree: Record<string, string[]> = {
  "src/core/clock.ts": [],
  "src/core/http.ts": ["../providers/fal/facts.ts"],
  "src/core/image-size.ts": [],
  "src/core/types.ts": ["../providers/ids.ts"],
  "src/client.ts": ["../mocks/engine/tasks.ts", "./providers/fal/adapter.ts"],
  "src/cli/mock-command.ts": ["../../mocks/server/server.ts", "../../contracts/provider/verify.ts"],
  "src/providers/ids.ts": [],
  "src/providers/fal/facts.ts": [],
  "src/providers/fal/schemas.ts": ["./facts.ts"],
  "src/providers/fal/adapter.ts": ["./schemas.ts", "../../core/http.ts"],
  "mocks/engine/tasks.ts": ["../../src/core/clock.ts", "../providers/fal/routes.ts"],
  "mocks/engine/images.ts": ["../../src/core/image-size.ts", "../../src/core/types.ts"],
  "mocks/engine/faults.ts": ["../../src/providers/ids.ts"],
  "mocks/providers/index.ts": ["../../src/providers/ids.ts", "./fal/routes.ts"],
  "mocks/providers/fal/routes.ts": [
    "../../../src/providers/fal/schemas.ts",
    "../../../src/providers/fal/adapter.ts",
  ],
  "mocks/server/server.ts": ["../providers/fal/routes.ts"],
  "contracts/provider/verify.ts": ["../../mocks/server/server.ts"],
  "scripts/lib/child.ts": [],
  "scripts/soak.ts": ["./lib/child.ts", "../test/helpers/harness.ts"],
  "test/helpers/harness.ts": ["../../scripts/lib/child.ts", "../../mocks/server/server.ts"],
};

/** rule name → the edges (from → to) that must be reported, and no others. */
const expected = {
  "library-imports-no-simulator": ["src/client.ts → mocks/engine/tasks.ts"],
  "simulators-read-only-facts": [
    "mocks/engine/images.ts → src/core/types.ts",
    "mocks/providers/fal/routes.ts → src/providers/fal/adapter.ts",
  ],
  "only-tests-import-tests": ["scripts/soak.ts → test/helpers/harness.ts"],
  "core-names-no-provider": ["src/core/http.ts → src/providers/fal/facts.ts"],
  "engine-names-no-provider": [
    "mocks/engine/faults.ts → src/providers/ids.ts",
    "mocks/engine/tasks.ts → mocks/providers/fal/routes.ts",
  ],
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

let dir: string;
let violations: Violation[];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "layer-rule-"));
  for (const [file, imports] of Object.entries(tree)) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    const lines = imports.map((spec, i) => `import * as m${i} from "${spec}";\nexport const u${i} = m${i};`);
    writeFileSync(join(dir, file), `${lines.join("\n")}\nexport {};\n`);
  }
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: { module: "NodeNext", allowImportingTsExtensions: true, noEmit: true },
    }),
  );
  const run = spawnSync(
    process.execPath,
    [
      join(packageRoot, "node_modules/dependency-cruiser/bin/dependency-cruise.mjs"),
      "--config",
      join(packageRoot, ".dependency-cruiser.cjs"),
      "src",
      "mocks",
      "contracts",
      "scripts",
      "test",
    ],
    { cwd: dir, encoding: "utf8" },
  );
  // The same reporter `npm run lint` uses: one "error <rule>: <from> → <to>" line per violation,
  // and an exit code that counts them, which is what fails the lint.
  violations = [...run.stdout.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)].map(([, name, from, to]) => ({
    rule: { name: name ?? "" },
    from: from ?? "",
    to: to ?? "",
  }));
  expect(run.status, run.stderr).toBe(Object.values(expected).flat().length);
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the layer rule", () => {
  for (const [rule, edges] of Object.entries(expected)) {
    it(`${rule} reports exactly the violating imports`, () => {
      const found = violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} → ${v.to}`);
      expect(found.sort()).toEqual([...edges].sort());
    });
  }

  it("reports nothing else: the composition roots and facts-only imports are allowed", () => {
    const names = new Set(Object.keys(expected));
    expect(violations.filter((v) => !names.has(v.rule.name))).toEqual([]);
  });
});
