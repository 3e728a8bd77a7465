/**
 * The package as npm would publish it: dist/ built when the sources are newer than it, then
 * `npm pack` into a folder of its own under the OS temp folder. Used by `npm run lint:package`,
 * the consumer tests and the package benchmark.
 */
import { execFile } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { isBuildFresh } from "../bin/fresh-build.js";
import { packageRoot } from "../src/package-root.ts";

const exec = promisify(execFile);
export const npm = process.platform === "win32" ? "npm.cmd" : "npm";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end; a non-zero exit is a result, not an exception. */
export async function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  try {
    const { stdout, stderr } = await exec(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      timeout: options.timeoutMs ?? 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === "number" ? failed.code : 1,
      stdout: failed.stdout ?? "",
      stderr: failed.stderr ?? String(error),
    };
  }
}

export async function mustRun(command: string, args: string[], cwd: string): Promise<string> {
  const result = await run(command, args, { cwd, timeoutMs: 300_000 });
  if (result.code !== 0) {
    throw new Error(`Failed to run ${command} ${args.join(" ")} (exit ${result.code}):\n${result.stderr}`);
  }
  return result.stdout;
}

let packing: Promise<string> | undefined;

/** The tarball `npm pack` makes of the package, built first if dist/ is stale; once per process. */
export function packPackage(): Promise<string> {
  packing ??= (async () => {
    if (!isBuildFresh(pathToFileURL(`${packageRoot}/`))) {
      await mustRun(
        process.execPath,
        [join(packageRoot, "node_modules/tsx/dist/cli.mjs"), "scripts/build.ts"],
        packageRoot,
      );
    }
    const destination = await mkdtemp(join(tmpdir(), "upscale-harness-pack-"));
    // The build is fresh: skip `prepack`, which would build again.
    const out = await mustRun(
      npm,
      ["pack", "--ignore-scripts", "--json", "--pack-destination", destination],
      packageRoot,
    );
    const [packed] = JSON.parse(out) as Array<{ filename: string }>;
    return join(destination, packed!.filename);
  })();
  return packing;
}
