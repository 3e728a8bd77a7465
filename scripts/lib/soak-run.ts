/**
 * The soak: the standalone server in a child process (`upscale-harness mock`, latency none, a
 * virtual clock driven through /__admin/clock/advance), a fixed number of workers running all
 * five providers' flows back to back on loopback (submit, poll to the end, fetch the results,
 * webhooks to a local receiver, fal storage uploads), a share of them under a scenario (flaky,
 * rate-limited, task-failure) sent per request in `x-mock-scenario`.
 *
 * It measures requests, errors by kind, latency percentiles and the child's RSS every second,
 * and checks: nothing unexpected (an error is expected only when its scenario asked for it, with
 * the provider's own status); every accepted task reached its end and is still retrievable;
 * every webhook is delivered or recorded as given up with all its attempts; RSS at the end is at
 * most 15 % above RSS after warm-up. Bounded in time; stops by itself.
 */
import { Agent } from "node:http";
import { seededRandom } from "../../mocks/engine/faults.ts";
import { type Serving, startCli, startServer, stopChild } from "./child.ts";
import { rawRequest } from "./fuzz-transport.ts";
import { makeImage } from "./images.ts";
import { checkTasks, settleWebhooks } from "./soak-checks.ts";
import { Failure, type Scenario, SoakClient } from "./soak-client.ts";
import { type Flow, soakFlows } from "./soak-flows.ts";
import { RssProbe } from "./soak-memory.ts";
import { WebhookReceiver } from "./soak-receiver.ts";
import { MB, percentile, type SoakOptions, type SoakReport } from "./soak-report.ts";

export { formatReport, type SoakOptions, type SoakReport } from "./soak-report.ts";

/** The CLI's task cap per namespace (the simulator's default). */
const cliTaskCap = 10_000;

/** Starts the server in a child process; resolves with its URL once it prints it. */
function startChild(seed: number, maxTasks?: number): Promise<Serving> {
  if (maxTasks === undefined)
    return startCli([
      "mock",
      "--port",
      "0",
      "--latency",
      "none",
      "--clock",
      "virtual",
      "--seed",
      String(seed),
      "--webhook-secret",
      "soak-secret",
      "--quiet",
    ]);
  return startServer([
    "--expose-gc",
    "--max-semi-space-size=4",
    "--import",
    "tsx",
    "scripts/lib/soak-server.ts",
    String(maxTasks),
    String(seed),
  ]);
}

/**
 * The workers: each runs random flows back to back in its namespace until the deadline. Once the
 * warm-up is over and every task store is full (or three quarters of the run have passed), they
 * all pause while the RSS baseline is read; the pause does not count towards the run.
 */
class Workers {
  readonly flows: Record<string, number> = {};
  rssAfterWarmup = 0;
  baselineAtS = 0;
  storesFull = false;
  pausedMs = 0;
  readonly started = performance.now();
  #gate: Promise<void> | undefined;
  #busy: number;
  #idle: (() => void) | undefined;
  #baselineTaken = false;
  #lastReport = this.started;

  constructor(
    readonly options: SoakOptions,
    readonly client: SoakClient,
    readonly run: Record<string, Flow>,
    readonly namespaces: string[],
    readonly images: Uint8Array[],
    readonly random: () => number,
    readonly probe: RssProbe,
    readonly taskCap: number,
  ) {
    this.#busy = options.workers;
  }

  /** Runs every worker to the deadline; answers the seconds they ran, pauses left out. */
  async runAll(): Promise<number> {
    await Promise.all(Array.from({ length: this.options.workers }, (_, i) => this.#worker(i)));
    return (performance.now() - this.started - this.pausedMs) / 1000;
  }

  #pick<T>(items: T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  #full(): boolean {
    return this.namespaces.every((ns) => this.client.acceptedIn(ns) >= this.taskCap);
  }

  async #pauseForBaseline(): Promise<void> {
    let release!: () => void;
    this.#gate = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((resolve) => {
      this.#idle = resolve;
      if (this.#busy === 0) resolve();
    });
    const pausedAt = performance.now();
    this.rssAfterWarmup = await this.probe.quiet();
    this.pausedMs += performance.now() - pausedAt;
    this.options.log?.(`  baseline after warm-up: RSS ${Math.round(this.rssAfterWarmup / MB)} MB`);
    this.#gate = undefined;
    release();
  }

  /** Starts the baseline pause when it is due; waits while it lasts. */
  async #checkpoint(): Promise<void> {
    const { durationS, warmup } = this.options;
    const now = performance.now() - this.pausedMs;
    const warmupAt = this.started + durationS * 1_000 * warmup;
    const latestBaselineAt = this.started + durationS * 1_000 * 0.75;
    if (!this.#baselineTaken && now >= warmupAt && (this.#full() || now >= latestBaselineAt)) {
      this.#baselineTaken = true;
      this.storesFull = this.#full();
      this.baselineAtS = Math.round((now - this.started) / 100) / 10;
      void this.#pauseForBaseline();
    }
    if (this.#gate) {
      this.#busy--;
      if (this.#busy === 0) this.#idle?.();
      await this.#gate;
      this.#busy++;
    }
  }

  async #worker(index: number): Promise<void> {
    const ns = this.namespaces[index % this.namespaces.length]!;
    const deadline = this.started + this.options.durationS * 1_000;
    const providers = Object.keys(this.run);
    while (performance.now() - this.pausedMs < deadline) {
      await this.#checkpoint();
      const provider = this.#pick(providers);
      const roll = this.random();
      const scenario: Scenario =
        roll < 0.7 ? "none" : roll < 0.8 ? "flaky" : roll < 0.9 ? "rate-limited" : "task-failure";
      // rate-limited refuses the first two attempts of each phase: count them afresh for this flow.
      if (scenario === "rate-limited") await this.client.admin("DELETE", `scenarios?namespace=${ns}`);
      this.client.note(this.flows, provider);
      try {
        await this.run[provider]!({ ns, scenario, provider }, this.#pick(this.images));
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
      }
      if (index === 0 && performance.now() - this.#lastReport > 10_000) {
        this.#lastReport = performance.now();
        this.options.log?.(
          `  ${Math.round((this.#lastReport - this.started) / 1000)} s: ${this.client.requests} requests, RSS ${Math.round((this.probe.samples.at(-1) ?? 0) / MB)} MB`,
        );
      }
    }
  }
}

/** Moves the virtual clock 2 s per 250 ms in every namespace (webhook retries) until stopped. */
function tickClocks(client: SoakClient, namespaces: string[]): () => Promise<void> {
  let ticking = true;
  const ticker = (async () => {
    while (ticking) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const ns of namespaces)
        await client.admin("POST", "clock/advance", { namespace: ns, ms: 2_000 }).catch(() => {});
    }
  })();
  return () => {
    ticking = false;
    return ticker;
  };
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const random = seededRandom(options.seed);
  const images = await Promise.all([
    makeImage(32, 24, "png"),
    makeImage(24, 32, "jpeg"),
    makeImage(28, 28, "webp"),
    makeImage(40, 20, "png"),
  ]);
  const receiver = new WebhookReceiver();
  await receiver.listen();
  const child = await startChild(options.seed, options.maxTasks);
  const probe = new RssProbe(child.pid, options.maxTasks !== undefined);
  const taskCap = options.maxTasks ?? cliTaskCap;
  const agent = new Agent({ keepAlive: true, maxSockets: options.workers + 4 });
  const client = new SoakClient(agent, new URL(child.url));
  const namespaces = Array.from(
    { length: Math.min(options.workers, options.namespaces ?? 2) },
    (_, i) => `soak-${i}`,
  );
  for (const ns of namespaces)
    await client.admin("PUT", "settings", { namespace: ns, key: "onemin.rateLimitPerMinute", value: "0" });

  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const hookUrl = () =>
    `${receiver.url}/${pick(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "flaky", "flaky", "fail"])}`;
  const run = soakFlows(client, random, hookUrl);

  probe.start();
  const stopClocks = tickClocks(client, namespaces);
  const workers = new Workers(options, client, run, namespaces, images, random, probe, taskCap);
  const elapsedS = await workers.runAll();
  await stopClocks();
  const rssEnd = await probe.quiet();
  probe.stop();

  const failures: string[] = [];
  const tasks = await checkTasks(client, namespaces, taskCap, options.workers, failures);
  const webhooks = await settleWebhooks(client, namespaces, failures);
  const { rssAfterWarmup } = workers;
  const growthPct = rssAfterWarmup > 0 ? ((rssEnd - rssAfterWarmup) / rssAfterWarmup) * 100 : 0;
  // A leak grows memory; RSS falling after warm-up (a busy moment at the baseline) is reported only.
  if (growthPct > 15)
    failures.push(`RSS grew ${growthPct.toFixed(1)} % from warm-up to the end (limit 15 %).`);
  const unexpectedCount = Object.values(client.unexpected).reduce((n, e) => n + e.count, 0);
  if (unexpectedCount > 0)
    failures.push(`${unexpectedCount} unexpected errors: ${JSON.stringify(client.unexpected)}`);
  const health = await rawRequest(
    agent,
    "GET",
    new URL("/__admin/health", client.base),
    undefined,
    {},
    new Uint8Array(),
  ).catch(() => undefined);
  if (health?.status !== 200) failures.push("The server stopped answering its health check.");

  agent.destroy();
  // SIGTERM, then SIGKILL if it has not exited within 10 s.
  await stopChild(child.child, 10_000);
  await receiver.close();

  const sorted = client.latencies.sort((a, b) => a - b);
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    durationS: round1(elapsedS),
    workers: options.workers,
    requests: client.requests,
    ratePerS: Math.round(client.requests / elapsedS),
    flows: workers.flows,
    expected: client.expected,
    unexpected: client.unexpected,
    latencyMs: {
      p50: round1(percentile(sorted, 50)),
      p99: round1(percentile(sorted, 99)),
      max: round1(sorted.at(-1) ?? 0),
    },
    rss: {
      samples: probe.samples.map((bytes) => Math.round(bytes / MB)),
      afterWarmupMB: Math.round(rssAfterWarmup / MB),
      endMB: Math.round(rssEnd / MB),
      growthPct: round1(growthPct),
      maxMB: Math.round(Math.max(0, ...probe.samples) / MB),
      baselineAtS: workers.baselineAtS,
      storesFull: workers.storesFull,
    },
    tasks,
    webhooks: {
      ...webhooks,
      sent: receiver.deliveries.size,
      acknowledged: [...receiver.deliveries.values()].filter(Boolean).length,
      attempts: receiver.attempts,
    },
    failures,
  };
}
