/**
 * Child processes for the benchmarks, the soak and the CLI's tests: spawned on loopback, tracked,
 * and always stopped (on success, on error, and on the way out of the process), plus readiness
 * and RSS probes.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { packageRoot } from "../../src/package-root.ts";

/** The package root, where `bin/`, `specs/` and `bench/` live (from the sources or the bundle). */
export const root = packageRoot;

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** Follows a child so stopAll() and the exit hook can end it. */
export function track(child: ChildProcess): ChildProcess {
  live.add(child);
  child.once("exit", () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Last resort: a crash or process.exit() must not leave servers behind.
    process.once("exit", () => {
      for (const running of live) running.kill("SIGKILL");
    });
  }
  return child;
}

export interface Spawned {
  child: ChildProcess;
  pid: number;
  /** Everything it printed (capped). */
  output(): string;
  stop(): Promise<void>;
}

/** Runs `node <args>` from the package root with piped output; `env` adds to this process's. */
export function spawnNode(args: string[], env?: Record<string, string>): Spawned {
  const child = track(
    spawn(process.execPath, args, {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
      ...(env ? { env: { ...process.env, ...env } } : {}),
    }),
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  if (child.pid === undefined) throw new Error(`Failed to spawn node ${args.join(" ")}.`);
  return { child, pid: child.pid, output: () => output, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A child server that has printed where it serves. */
export interface Serving extends Spawned {
  url: string;
}

/**
 * Runs `node <args>` and resolves once it prints the line the CLI (and the soak server) print
 * when they serve: `simulators on <url>`. Rejects, with everything it printed, when it exits
 * first or takes longer than `timeoutMs`; the child is stopped then.
 */
export async function startServer(
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Serving> {
  const spawned = spawnNode(args, options.env);
  const { child } = spawned;
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const settle = (error: Error | undefined, found?: string) => {
        clearTimeout(timer);
        child.stdout?.off("data", look);
        child.off("close", closed);
        if (error) reject(error);
        else resolve(found!);
      };
      const look = () => {
        const found = /simulators on (http:\/\/127\.0\.0\.1:\d+)/.exec(spawned.output());
        if (found) settle(undefined, found[1]);
      };
      // "close", not "exit": by then everything it printed has been read.
      const closed = (code: number | null) =>
        settle(new Error(`Failed to start: exited with ${code} first.\n${spawned.output()}`));
      const timer = setTimeout(
        () => settle(new Error(`Failed to start within ${timeoutMs / 1000} s.\n${spawned.output()}`)),
        timeoutMs,
      );
      child.stdout?.on("data", look);
      child.once("close", closed);
    });
    return { ...spawned, url };
  } catch (error) {
    await spawned.stop();
    throw error;
  }
}

/** `upscale-harness <args>` (the bin, as `npm start` runs it); resolves with its URL once it serves. */
export function startCli(args: string[], env?: Record<string, string>): Promise<Serving> {
  return startServer(["bin/upscale-harness.js", ...args], env ? { env } : {});
}

/** Stops every child still running. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)));
}

export interface WaitOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  intervalMs?: number;
  /** Fail early when this child exits. */
  child?: Spawned;
}

/** Polls `url` until it answers 200; returns when it did. Throws on timeout or child exit. */
export async function waitFor200(url: string, options: WaitOptions = {}): Promise<void> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  let last = "no answer";
  while (performance.now() < deadline) {
    const child = options.child?.child;
    if (child && (child.exitCode !== null || child.signalCode !== null))
      throw new Error(`Failed to start: the process exited early.\n${options.child?.output().slice(-2_000)}`);
    try {
      const response = await fetch(url, {
        ...(options.headers ? { headers: options.headers } : {}),
        signal: AbortSignal.timeout(2_000),
      });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `status ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 5));
  }
  throw new Error(`Failed to get a 200 from ${url} in time (last: ${last}).`);
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or `ps` as a fallback for VmRSS. */
export function memoryKb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (match) return Number(match[1]);
  } catch {
    // No procfs (macOS): fall through to ps.
  }
  if (field !== "VmRSS") return undefined;
  try {
    const rss = Number(execFileSync("ps", ["-o", "rss=", "-p", String(pid)], { encoding: "utf8" }).trim());
    return Number.isFinite(rss) && rss > 0 ? rss : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; keeps the peak. */
export function sampleRss(pid: number, intervalMs = 100): { stop(): number } {
  let peak = memoryKb(pid) ?? 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, memoryKb(pid) ?? 0);
  }, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, memoryKb(pid) ?? 0);
      return peak;
    },
  };
}
