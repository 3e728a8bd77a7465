/**
 * Suite `store`: what sharing state through Redis costs and buys. Status polls/s of one server
 * keeping its state in memory against one on Redis (a poll counts its attempt and loads the task
 * counting its poll there), and upscales/s (Ideogram upload → result download, each input
 * unique so no cache answers) of one replica against two on the same Redis, and against one
 * `--workers 2` server (two processes sharing one port). Contenders alternate round by round;
 * ratios are medians of per-round ratios.
 */
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { crc32 } from "node:zlib";
import { freePort } from "../../mocks/prism/run-prism.ts";
import { spawnNode, stopAll, waitFor200 } from "../../scripts/lib/child.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { multipart } from "../../scripts/lib/multipart.ts";
import { startRedis } from "../../scripts/lib/redis-server.ts";
import { runLoad } from "../lib/load.ts";
import { formatNumber, type Goal, type Row, type SuiteResult } from "../lib/report.ts";
import { median } from "../lib/stats.ts";
import { freepikKey, launches, seedFreepikTask, type Target } from "./server-targets.ts";

export interface StoreOptions {
  seconds: number;
  rounds: number;
  connections: number;
  /** Upscales per contender per round, and how many run at once. */
  upscales: number;
  concurrency: number;
  /** Input side in pixels (output is 2x). */
  imageSize: number;
}

/** Our server (as the `server` suite runs it), in memory or on the shared store; `extra` flags. */
async function launchServer(store?: string, extra: string[] = []): Promise<Target> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawned = spawnNode(
    [...launches.ours.args(port), ...extra],
    store ? { UPSCALE_HARNESS_STORE: store } : undefined,
  );
  await waitFor200(`${url}${launches.ours.probe.path}`, {
    headers: freepikKey,
    child: spawned,
    timeoutMs: 60_000,
  });
  return { name: "ours", url, pid: spawned.pid, process: spawned };
}

/** `mock --workers 2` on the store, once both workers serve (each prints a line when it does). */
async function launchWorkers(store: string): Promise<Target> {
  const target = await launchServer(store, ["--workers", "2"]);
  const deadline = performance.now() + 60_000;
  const both = () =>
    /simulators on/.test(target.process.output()) && /worker 2 \(pid/.test(target.process.output());
  while (!both()) {
    if (performance.now() > deadline)
      throw new Error(`Failed to start two workers:\n${target.process.output().slice(-2_000)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return target;
}

/**
 * Pins a process and every thread it has to one core (Linux's `taskset`), so a replica gets one
 * core's worth of work as it would on a one-core machine; `false` where that cannot be done.
 */
function pinToCore(target: Target, core: number): boolean {
  const pinned = spawnSync("taskset", ["-a", "-c", "-p", String(core), String(target.pid)], {
    stdio: "ignore",
  });
  return pinned.status === 0;
}

/** The same PNG with a unique text chunk before IEND: same pixels, different bytes (and hash). */
function uniqueCopy(png: Uint8Array, n: number): Uint8Array {
  const data = Buffer.from(`Comment\u0000run ${n} ${Math.random()}`, "latin1");
  const type = Buffer.from("tEXt", "latin1");
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  type.copy(chunk, 4);
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(Buffer.concat([type, data])), 8 + data.length);
  const iend = png.length - 12;
  return new Uint8Array(Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]));
}

/** Upload → result download through `servers` in turn, `concurrency` at once; upscales per second. */
async function upscaleRate(servers: Target[], inputs: Uint8Array[], concurrency: number): Promise<number> {
  let next = 0;
  const one = async (input: Uint8Array, server: Target) => {
    const form = multipart([
      { name: "image_request", value: "{}" },
      { name: "image_file", value: input, filename: "in.png", type: "image/png" },
    ]);
    const answer = await fetch(`${server.url}/ideogram/upscale`, {
      method: "POST",
      headers: { "api-key": "bench", "content-type": form.contentType },
      body: form.body,
    }).catch((error: Error) => {
      throw new Error(`Failed to upload to ${server.url}: ${error.message} (${String(error.cause)})`);
    });
    const body = (await answer.json()) as { data?: Array<{ url: string }> };
    const url = body.data?.[0]?.url;
    if (!answer.ok || !url) throw new Error(`Failed to upscale: ${answer.status} ${JSON.stringify(body)}`);
    const result = await fetch(url);
    await result.arrayBuffer();
    if (!result.ok) throw new Error(`Failed to download the result: ${result.status}`);
  };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < inputs.length; i = next++) await one(inputs[i]!, servers[i % servers.length]!);
    }),
  );
  return inputs.length / ((performance.now() - started) / 1000);
}

function row(
  scenario: string,
  subject: string,
  metric: string,
  values: number[],
  anchor?: { name: string; values: number[]; goal?: Goal },
): Row {
  return {
    scenario,
    subject,
    metric,
    value: median(values),
    unit: metric.includes("upscales") ? "/s" : "req/s",
    ...(anchor
      ? {
          anchor: `${anchor.name} ${formatNumber(median(anchor.values))}`,
          ratio: median(values.map((v, i) => v / anchor.values[i]!)),
          ...(anchor.goal ? { goal: anchor.goal } : {}),
        }
      : {}),
  };
}

export async function runStoreSuite(
  options: StoreOptions,
  log: (line: string) => void = () => {},
): Promise<SuiteResult> {
  const loadAtStart = loadavg()[0]!;
  const redis = await startRedis();
  try {
    const memory = await launchServer();
    const shared = await launchServer(redis.url);
    const second = await launchServer(redis.url);
    const workers = await launchWorkers(redis.url);
    // Scaling out, measured with equal hardware per replica: one core each.
    const onCore = [await launchServer(redis.url), await launchServer(redis.url)];
    const pinned = cpus().length >= 2 && onCore.every((target, core) => pinToCore(target, core));
    const tiny = toBase64(await makeImage(4, 4));
    const polls = { memory: [] as number[], redis: [] as number[], workers: [] as number[] };
    const paths = {
      memory: await seedFreepikTask(memory, tiny),
      redis: await seedFreepikTask(shared, tiny),
      workers: await seedFreepikTask(workers, tiny),
    };
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, target] of [
        ["memory", memory],
        ["redis", shared],
        ["workers", workers],
      ] as const) {
        const result = await runLoad(
          { url: `${target.url}${paths[name]}`, headers: freepikKey },
          { connections: options.connections, seconds: options.seconds },
        );
        if (result.non2xx + result.errors > 0)
          throw new Error(`Failed polls on ${name}: ${JSON.stringify(result.codes)}`);
        polls[name].push(result.okPerSec);
        log(`store: poll round ${round + 1} ${name}: ${Math.round(result.okPerSec)} req/s`);
      }
    }
    const base = await makeImage(options.imageSize, options.imageSize);
    let made = 0;
    const inputs = () => Array.from({ length: options.upscales }, () => uniqueCopy(base, made++));
    const upscales = {
      memory: [] as number[],
      one: [] as number[],
      two: [] as number[],
      oneCore: [] as number[],
      twoCores: [] as number[],
      workers: [] as number[],
    };
    for (let round = 0; round < options.rounds; round++) {
      for (const [name, servers] of [
        ["memory", [memory]],
        ["one", [shared]],
        ["two", [shared, second]],
        ...(pinned
          ? ([
              ["oneCore", [onCore[0]!]],
              ["twoCores", onCore],
            ] as const)
          : []),
        ["workers", [workers]],
      ] as const) {
        const rate = await upscaleRate([...servers], inputs(), options.concurrency);
        upscales[name].push(rate);
        log(`store: upscale round ${round + 1} ${name}: ${rate.toFixed(2)}/s`);
      }
    }
    const pollScenario = "status poll: freepik GET /v1/ai/image-upscaler/{id}";
    const upScenario = `upscale ${options.imageSize}² → ${options.imageSize * 2}² (Ideogram upload → download, ${options.concurrency} at once)`;
    return {
      name: "store",
      title: "Shared state: memory vs Redis, one replica vs two",
      rows: [
        row(pollScenario, "memory, 1 process", "2xx req/s (median of rounds)", polls.memory),
        row(pollScenario, "Redis, 1 replica", "2xx req/s (median of rounds)", polls.redis, {
          name: "memory",
          values: polls.memory,
          goal: { kind: "ratio-at-least", min: 0.5 },
        }),
        row(pollScenario, "Redis, --workers 2", "2xx req/s (median of rounds)", polls.workers, {
          name: "1 replica",
          values: polls.redis,
        }),
        row(upScenario, "memory, 1 process", "upscales/s (median of rounds)", upscales.memory),
        row(upScenario, "Redis, 1 replica", "upscales/s (median of rounds)", upscales.one, {
          name: "memory",
          values: upscales.memory,
        }),
        row(upScenario, "Redis, 2 replicas", "upscales/s (median of rounds)", upscales.two, {
          name: "1 replica",
          values: upscales.one,
        }),
        ...(pinned
          ? [
              row(
                upScenario,
                "Redis, 1 replica on 1 core",
                "upscales/s (median of rounds)",
                upscales.oneCore,
              ),
              row(
                upScenario,
                "Redis, 2 replicas, 1 core each",
                "upscales/s (median of rounds)",
                upscales.twoCores,
                {
                  name: "1 replica on 1 core",
                  values: upscales.oneCore,
                  goal: { kind: "ratio-at-least", min: 1.6 },
                },
              ),
            ]
          : []),
        row(upScenario, "Redis, --workers 2", "upscales/s (median of rounds)", upscales.workers, {
          name: "1 replica",
          values: upscales.one,
        }),
      ],
      notes: [
        "Poll goal: a Redis-backed poll costs at most 2x a memory poll (ratio ≥ 0.5). A poll on Redis counts its attempt (HINCRBY) and loads the task counting its poll (one script), both sent in one write, and writes the task back only when its state changed.",
        `Upscales: ${options.upscales} per contender per round, each input a unique copy of one image (a text chunk added), so no cache answers; two replicas take alternate requests, each result fetched from the replica that made it.`,
        "`--workers 2`: one server whose primary hands each new connection to one of two worker processes; the poll load's 10 connections spread over both, and the upscales' fetches (a pooled client) too.",
        "Scale-out goal: two replicas upscale at least 1.6x one replica with the same hardware per replica. Unpinned, one replica's image work already spreads over every core of this machine, so a second replica on the same cores adds nothing to divide; the goal is therefore measured on two further replicas pinned with `taskset` to one core each (the load generator and redis-server still run on those cores). Without `taskset` or a second core those rows are left out.",
        `All processes share the machine's cores with the load generator and redis-server. Load average (1 min) at the start: ${loadAtStart.toFixed(1)}; at the end (1, 5, 15 min): ${loadavg()
          .map((n) => n.toFixed(1))
          .join(", ")} on ${cpus().length} cores.`,
      ],
    };
  } finally {
    await stopAll();
    await redis.stop();
  }
}
