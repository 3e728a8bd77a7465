/**
 * For the proxy's tests: a simulator server with its proxy on free loopback ports and a CA in a
 * temporary directory, the environment a child process gets to use it (never this process's own),
 * and child processes run to completion with their output.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { proxyEnv } from "../../mocks/proxy/env.ts";
import { type MockServer, type MockServerOptions, startMockServer } from "../../mocks/server/server.ts";
import { root } from "../../scripts/lib/child.ts";

export interface ProxiedServer {
  server: MockServer;
  caDir: string;
  /** This process's environment without any proxy setting, plus the proxy's: for children only. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const proxyVariables = /^(https?_proxy|all_proxy|no_proxy)$/i;

export async function startProxied(
  options: MockServerOptions = {},
  proxy: { passthrough?: string[]; handshakeMs?: number } = {},
): Promise<ProxiedServer> {
  const caDir = mkdtempSync(join(tmpdir(), "upscale-harness-ca-"));
  const server = await startMockServer({
    port: 0,
    latency: "none",
    ...options,
    proxy: { port: 0, caDir, ...proxy },
  });
  const inherited = withoutProxyVariables();
  return {
    server,
    caDir,
    env: { ...inherited, ...proxyEnv(server.proxy!) },
    async stop() {
      await server.close(1_000);
      rmSync(caDir, { recursive: true, force: true });
    },
  };
}

/** This process's environment without proxy settings (the user's own must not steer a test's child). */
export function withoutProxyVariables(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !proxyVariables.test(entry[0]),
    ),
  );
}

/**
 * `node --import` arguments for `upscale-harness/proxy` (dist/proxy.js once built): its source
 * compiled to plain JavaScript as the build does, dependencies left to node_modules, so the test
 * runs plain node on it without a package build first. Removed by `stop()` of the returned value.
 */
export async function nodeProxyImport(): Promise<{ args: string[]; stop(): void }> {
  // Inside the package, so the module's own imports (undici) resolve from its node_modules.
  mkdirSync(join(root, ".tmp"), { recursive: true });
  const dir = mkdtempSync(join(root, ".tmp", "proxy-import-"));
  const outfile = join(dir, "proxy.mjs");
  await build({
    entryPoints: [join(root, "mocks/proxy/register.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    outfile,
    logLevel: "warning",
  });
  return {
    args: ["--import", pathToFileURL(outfile).href],
    stop: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program to its end (bounded by `timeoutMs`) from the package root. */
export function run(
  file: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: root, env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
