/**
 * The package as a user gets it: packed (scripts/pack.ts) and installed from the tarball into a
 * fresh project under the OS temp folder, from the npm cache where it can. Used by the consumer
 * tests and the package benchmark.
 */
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../../src/package-root.ts";
import { mustRun, npm } from "../pack.ts";

export { packPackage, type RunResult, run } from "../pack.ts";

export interface Consumer {
  dir: string;
  /** `npm i <tarball>` again with other flags (e.g. to add optional dependencies). */
  install(flags: string[]): Promise<void>;
  /** Links packages from this checkout's node_modules (test tools a user already has). */
  link(names: string[]): Promise<void>;
  remove(): Promise<void>;
}

/** A fresh ESM project with the tarball installed with `flags` (e.g. `--omit=peer`). */
export async function installConsumer(tarball: string, flags: string[]): Promise<Consumer> {
  const dir = await mkdtemp(join(tmpdir(), "upscale-harness-consumer-"));
  await writeFile(
    join(dir, "package.json"),
    `${JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2)}\n`,
  );
  const install = async (more: string[]) => {
    await mustRun(npm, ["install", tarball, "--no-audit", "--no-fund", "--prefer-offline", ...more], dir);
  };
  await install(flags);
  return {
    dir,
    install,
    async link(names) {
      for (const name of names) {
        const target = join(dir, "node_modules", name);
        await mkdir(join(target, ".."), { recursive: true });
        await rm(target, { recursive: true, force: true });
        await symlink(join(packageRoot, "node_modules", name), target, "dir");
      }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
