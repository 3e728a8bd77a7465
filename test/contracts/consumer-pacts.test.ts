/**
 * The consumer pacts are generated deterministically: a fresh run of contracts/consumer (into a
 * temp dir) must write exactly the committed contracts/pacts, so a client change that alters
 * the contract cannot land without the regenerated pacts.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keylessEnv, root, run } from "./run.ts";

const providers = ["chainhub", "fal", "freepik", "ideogram", "onemin"];
let dir: string | undefined;
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("consumer pacts", () => {
  it("a fresh run writes exactly the committed pacts", async () => {
    dir = await mkdtemp(join(tmpdir(), "upscale-harness-pacts-"));
    const result = await run(["node_modules/vitest/vitest.mjs", "run", "-c", "contracts/vitest.config.ts"], {
      viaTsx: false,
      env: keylessEnv({ PACT_DIR: dir, CI: "true" }),
    });
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(providers.map((p) => `upscale-harness-${p}.json`));
    for (const provider of providers) {
      const name = `upscale-harness-${provider}.json`;
      const fresh = JSON.parse(await readFile(join(dir, name), "utf8"));
      const committed = JSON.parse(await readFile(join(root, "contracts/pacts", name), "utf8"));
      expect(fresh, `contracts/pacts/${name} is stale: run npm run contracts:consumer`).toEqual(committed);
    }
  }, 60_000);
});
