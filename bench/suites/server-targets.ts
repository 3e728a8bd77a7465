/**
 * The servers the `server` suite compares, each in its own child process on loopback: ours (the
 * CLI), Prism's static mock of specs/freepik.yaml, a bare node:http server, and aimock's fal
 * queue. Also how each is spawned cold for the time-to-first-200 measurement.
 */
import { join } from "node:path";
import { freePort, prismBin } from "../../mocks/prism/run-prism.ts";
import { root, type Spawned, spawnNode, waitFor200 } from "../../scripts/lib/child.ts";

export type TargetName = "ours" | "Prism" | "bare" | "aimock";

export interface Target {
  name: TargetName;
  url: string;
  pid: number;
  process: Spawned;
}

export const freepikKey = { "x-freepik-api-key": "bench" };
export const falKey = { authorization: "Key bench" };
/** aimock's general fal handler only takes requests naming their real host. */
export const aimockFalHeaders = { ...falKey, "x-fal-target-host": "queue.fal.run" };
/** A task id Prism accepts (its answer is the spec's example whatever the id). */
export const prismTaskId = "8d5e6b3a-2f4c-4a1b-9c7d-0e1f2a3b4c5d";

interface Launch {
  args(port: number): string[];
  /** A provider route that answers 200 once the server is up. */
  probe: { path: string; headers?: Record<string, string> };
}

export const launches: Record<TargetName, Launch> = {
  ours: {
    args: (port) => [
      "bin/upscale-harness.js",
      "mock",
      "--port",
      String(port),
      "--quiet",
      "--latency",
      "none",
      "--images",
      "lazy",
    ],
    probe: { path: "/freepik/v1/ai/image-upscaler", headers: freepikKey },
  },
  Prism: {
    // What startPrism() runs, spawned here so readiness is probed every 5 ms, not every 100 ms.
    args: (port) => [
      prismBin(),
      "mock",
      join(root, "specs/freepik.yaml"),
      "--errors",
      "-h",
      "127.0.0.1",
      "-p",
      String(port),
      "-v",
      "error",
    ],
    probe: { path: `/v1/ai/image-upscaler/${prismTaskId}`, headers: freepikKey },
  },
  bare: {
    args: (port) => ["--import", "tsx", "bench/bare-server.ts", String(port)],
    probe: { path: "/" },
  },
  aimock: {
    args: (port) => ["--import", "tsx", "bench/aimock-server.ts", String(port)],
    probe: { path: "/health" },
  },
};

/** Spawns a server and waits for its first 200; returns it with the milliseconds that took. */
export async function launch(name: TargetName, intervalMs = 5): Promise<{ target: Target; readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { probe } = launches[name];
  const started = performance.now();
  const spawned = spawnNode(launches[name].args(port));
  try {
    await waitFor200(`${url}${probe.path}`, {
      ...(probe.headers ? { headers: probe.headers } : {}),
      child: spawned,
      timeoutMs: 60_000,
      intervalMs,
    });
  } catch (error) {
    await spawned.stop();
    throw new Error(
      `Failed to start ${name}: ${(error as Error).message}\n${spawned.output().slice(-2_000)}`,
    );
  }
  return { target: { name, url, pid: spawned.pid, process: spawned }, readyMs: performance.now() - started };
}

async function json(url: string, init: RequestInit = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, init);
  const body = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`Failed to seed ${url}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/** Creates one Freepik task on our server and polls it to COMPLETED; returns its status path. */
export async function seedFreepikTask(ours: Target, imageBase64: string): Promise<string> {
  const created = await json(`${ours.url}/freepik/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { ...freepikKey, "content-type": "application/json" },
    body: JSON.stringify({ image: imageBase64, scale_factor: "2x" }),
  });
  const path = `/freepik/v1/ai/image-upscaler/${(created.data as { task_id: string }).task_id}`;
  for (let i = 0; i < 10; i++) {
    const polled = await json(`${ours.url}${path}`, { headers: freepikKey });
    if ((polled.data as { status: string }).status === "COMPLETED") return path;
  }
  throw new Error("Failed to seed: the Freepik task did not complete in 10 polls.");
}

/** Submits to a fal queue (ours or aimock) and polls to COMPLETED; returns the status path. */
export async function seedFalRequest(target: Target, imageBase64: string): Promise<string> {
  const ours = target.name === "ours";
  const base = ours ? "/fal/queue/fal-ai/ideogram" : "/fal/fal-ai/ideogram";
  const headers = ours ? falKey : aimockFalHeaders;
  const created = await json(`${target.url}${base}/upscale`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify({ image_url: `data:image/png;base64,${imageBase64}` }),
  });
  const path = `${base}/requests/${String(created.request_id)}/status`;
  for (let i = 0; i < 10; i++) {
    const polled = await json(`${target.url}${path}`, { headers });
    if (polled.status === "COMPLETED") return path;
  }
  throw new Error(`Failed to seed: the fal request on ${target.name} did not complete in 10 polls.`);
}

/** Forgets the tasks of namespaces a submit run created (keeps the server's memory flat). */
export async function resetNamespaces(ours: Target, namespaces: Iterable<string>): Promise<void> {
  for (const namespace of namespaces) {
    await json(`${ours.url}/__admin/reset`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ namespace }),
    });
  }
}
