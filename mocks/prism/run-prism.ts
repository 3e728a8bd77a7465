/**
 * Starts Stoplight Prism (static mock or validation proxy) on a free loopback port and waits
 * until it answers. Used by `upscale-harness prism` and by the tests.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { resolvePeer } from "../../src/optional-peer.ts";

export interface PrismProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything Prism printed (its violations are read from here in proxy mode). */
  output(): string;
  stop(): Promise<void>;
}

const require = createRequire(import.meta.url);

export function prismBin(): string {
  return resolvePeer("@stoplight/prism-cli", "upscale-harness prism", () =>
    require.resolve("@stoplight/prism-cli/dist/index.js"),
  );
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StartPrismOptions {
  port?: number;
  /** Prism's log level; `error` is its quietest and fastest. */
  level?: "error" | "warn" | "info" | "debug";
  /** Pipe Prism's output to this process's stdio as well. */
  inherit?: boolean;
  readyTimeoutMs?: number;
}

/** `args` are Prism's own: `["mock", spec]` or `["proxy", spec, upstream]`. `--errors` is always on. */
export async function startPrism(args: string[], options: StartPrismOptions = {}): Promise<PrismProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    process.execPath,
    [prismBin(), ...args, "--errors", "-h", "127.0.0.1", "-p", String(port), "-v", options.level ?? "error"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    if (options.inherit) process.stdout.write(chunk);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`Failed to start Prism: it exited with ${child.exitCode}.\n${output}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return { url, port, child, output: () => output, stop };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await stop();
  throw new Error(`Failed to start Prism within ${options.readyTimeoutMs ?? 60_000} ms.\n${output}`);
}
