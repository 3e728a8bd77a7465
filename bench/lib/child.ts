/**
 * Child processes for the benchmarks: spawned on loopback, tracked, and always stopped (on
 * success, on error, and on the way out of the process), plus readiness and RSS probes.
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

/** Runs `node <args>` from the package root with piped output. */
export function spawnNode(args: string[]): Spawned {
  const child = track(spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"] }));
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
