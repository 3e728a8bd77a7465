/** Runs a node script (through tsx) as a child process and collects its output. */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../../", import.meta.url));
const tsx = `${root}node_modules/tsx/dist/cli.mjs`;

/** The environment without any provider key, so nothing can reach a real provider. */
export function keylessEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  for (const name of ["IDEOGRAM_API_KEY", "CHAINHUB_API_KEY", "FAL_KEY", "ONEMIN_API_KEY", "FREEPIK_API_KEY"])
    delete env[name];
  return env;
}

export function run(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; viaTsx?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, options.viaTsx === false ? args : [tsx, ...args], {
      cwd: root,
      env: options.env ?? keylessEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
