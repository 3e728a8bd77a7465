/**
 * A throwaway Redis for tests and benchmarks: Debian's `redis-server` on a free loopback port, nothing persisted
 * (`--save '' --appendonly no`, a temp dir), stopped by the test. `.ci/run` installs the package.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../../mocks/prism/run-prism.ts";
import { track } from "./child.ts";

export interface TestRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL), as if the machine under it went away. */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: nothing was persisted). */
  restart(): Promise<void>;
  /** Stops it answering (SIGSTOP), as a stalled or partitioned Redis, keeping its data. */
  pause(): void;
  /** Lets it answer again (SIGCONT). */
  resume(): void;
  stop(): Promise<void>;
}

/** The binary; `REDIS_SERVER` points elsewhere when it is not on PATH. */
const binary = process.env.REDIS_SERVER ?? "redis-server";

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "uh-redis-"));
  let child = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    kill: async () => {
      await ended(child, "SIGKILL");
    },
    restart: async () => {
      child = await launch(port, dir);
    },
    pause: () => {
      child.kill("SIGSTOP");
    },
    resume: () => {
      child.kill("SIGCONT");
    },
    stop: async () => {
      await ended(child, "SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = track(
    spawn(binary, [...args, "--dir", dir, "--loglevel", "warning"], { stdio: ["ignore", "pipe", "pipe"] }),
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const failed = new Promise<never>((_, reject) => {
    child.once("error", (error) =>
      reject(new Error(`Failed to start ${binary} (install the redis-server package): ${error.message}`)),
    );
    child.once("exit", (code) => reject(new Error(`${binary} exited with ${code} first.\n${output}`)));
  });
  failed.catch(() => {});
  await Promise.race([failed, untilListening(port)]);
  return child;
}

/** Resolves once the port accepts a PING (within 10 s). */
async function untilListening(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (await pings(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`redis-server did not answer on port ${port} within 10 s.`);
}

function pings(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.setTimeout(500);
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data: Buffer) => {
      socket.destroy();
      resolve(data.toString().startsWith("+PONG"));
    });
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}
