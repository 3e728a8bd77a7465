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
import { Agent, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "../../mocks/engine/faults.ts";
import type { SimResponse } from "../../mocks/engine/sim-http.ts";
import { memoryKb, type Serving, startCli, startServer, stopChild } from "./child.ts";
import { rawRequest } from "./fuzz-run.ts";
import { makeImage } from "./images.ts";
import { multipart } from "./multipart.ts";

export interface SoakOptions {
  durationS: number;
  workers: number;
  /** Namespaces the workers share (worker i uses namespace i mod this; default 2). */
  namespaces?: number;
  /**
   * The server's task cap per namespace. Unset: the CLI (`upscale-harness mock`, cap 10 000);
   * set: the same server started through scripts/lib/soak-server.ts with this cap, so a
   * short soak reaches its steady state.
   */
  maxTasks?: number;
  /**
   * Share of the run before the RSS baseline is taken, at the earliest: the baseline waits until
   * every namespace has accepted a task cap's worth of tasks (the stores are full; until then
   * memory grows by design), but no longer than three quarters of the run.
   */
  warmup: number;
  seed: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SoakReport {
  durationS: number;
  workers: number;
  requests: number;
  ratePerS: number;
  flows: Record<string, number>;
  /** Errors the scenarios asked for, by kind (e.g. `flaky: fal 503`). */
  expected: Record<string, number>;
  /** Everything else, by kind, with a sample answer each. */
  unexpected: Record<string, { count: number; sample: string }>;
  latencyMs: { p50: number; p99: number; max: number };
  rss: {
    samples: number[];
    afterWarmupMB: number;
    endMB: number;
    growthPct: number;
    maxMB: number;
    /** When the baseline was read (s into the run), and whether every task store was full by then. */
    baselineAtS: number;
    storesFull: boolean;
  };
  /** `evicted`: pushed out by the task cap (oldest finished first), which the check allows. */
  tasks: { accepted: number; retrievable: number; evicted: number; notRetrievable: number; cap: number };
  /**
   * `total`/`delivered`/`gaveUp`/`unsettled`: the deliveries the admin API still lists (the newest
   * 1 000 finished per namespace, and every pending one); `sent`/`acknowledged`: distinct
   * deliveries that reached the receiver, and how many it answered 2xx; `attempts`: requests it got.
   */
  webhooks: {
    total: number;
    delivered: number;
    gaveUp: number;
    unsettled: number;
    sent: number;
    acknowledged: number;
    attempts: number;
  };
  failures: string[];
}

type Scenario = "none" | "flaky" | "rate-limited" | "task-failure";
const MB = 1024 * 1024;

class Failure extends Error {}

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

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed);
  const images = await Promise.all([
    makeImage(32, 24, "png"),
    makeImage(24, 32, "jpeg"),
    makeImage(28, 28, "webp"),
    makeImage(40, 20, "png"),
  ]);

  // A local webhook receiver: /ok answers 200, /flaky 500 the first time then 200, /fail 500.
  const seen = new Set<string>();
  /** Delivery id → whether the receiver acknowledged it (freepik: webhook-id; fal: request id). */
  const deliveriesSeen = new Map<string, boolean>();
  let received = 0;
  const receiver: Server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      received++;
      const id = String(req.headers["webhook-id"] ?? req.headers["x-fal-webhook-request-id"] ?? "");
      const answer = (status: number) => {
        deliveriesSeen.set(id, deliveriesSeen.get(id) === true || status < 300);
        res.writeHead(status).end();
      };
      if (req.url?.startsWith("/fail")) return answer(500);
      if (req.url?.startsWith("/flaky") && !seen.has(id)) {
        seen.add(id);
        return answer(500);
      }
      answer(200);
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const hooks = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const child = await startChild(options.seed, options.maxTasks);
  const { url } = child;
  /** The child's RSS in bytes. */
  const rssOf = () => {
    const kb = memoryKb(child.pid);
    if (kb === undefined) throw new Error("Failed to read the server's RSS.");
    return kb * 1024;
  };
  const taskCap = options.maxTasks ?? cliTaskCap;
  const base = new URL(url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.workers + 4 });
  const namespaces = Array.from(
    { length: Math.min(options.workers, options.namespaces ?? 2) },
    (_, i) => `soak-${i}`,
  );
  const latencies: number[] = [];
  const expected: Record<string, number> = {};
  const unexpected: SoakReport["unexpected"] = {};
  const flows: Record<string, number> = {};
  /** Accepted async tasks, in the order the server accepted them. */
  const accepted: Array<{ ns: string; provider: string; url: string; headers: Record<string, string> }> = [];
  const acceptedIn = new Map<string, number>();
  const accept = (task: (typeof accepted)[number]) => {
    accepted.push(task);
    acceptedIn.set(task.ns, (acceptedIn.get(task.ns) ?? 0) + 1);
  };
  let requests = 0;

  const note = (bucket: Record<string, number>, kind: string) => {
    bucket[kind] = (bucket[kind] ?? 0) + 1;
  };
  const fail = (kind: string, sample: string): never => {
    unexpected[kind] ??= { count: 0, sample };
    unexpected[kind].count++;
    throw new Failure(kind);
  };
  const admin = async (method: string, path: string, body?: unknown) => {
    const answer = await rawRequest(
      agent,
      method,
      new URL(`/__admin/${path}`, base),
      undefined,
      body ? { "content-type": "application/json" } : {},
      body ? new TextEncoder().encode(JSON.stringify(body)) : new Uint8Array(),
      30_000,
    );
    if (answer.status !== 200) throw new Error(`Failed: admin ${method} ${path} answered ${answer.status}.`);
    return JSON.parse(answer.body.kind === "text" ? answer.body.value : "{}") as Record<string, unknown>;
  };
  for (const ns of namespaces)
    await admin("PUT", "settings", { namespace: ns, key: "onemin.rateLimitPerMinute", value: "0" });

  /**
   * One call: retried while the scenario's fault answers (503 flaky, 429 rate-limited), counted
   * as expected; any status outside `ok` is unexpected and ends the flow.
   */
  async function call(
    ctx: { ns: string; scenario: Scenario; provider: string },
    op: string,
    method: string,
    target: string,
    headers: Record<string, string>,
    ok: number[],
    body?: Uint8Array,
    faultable = true,
  ): Promise<SimResponse> {
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      let answer: SimResponse;
      try {
        answer = await rawRequest(
          agent,
          method,
          new URL(target, base),
          undefined,
          {
            ...headers,
            "x-mock-namespace": ctx.ns,
            ...(ctx.scenario !== "none" ? { "x-mock-scenario": ctx.scenario } : {}),
          },
          body ?? new Uint8Array(),
          30_000,
        );
      } catch (error) {
        requests++;
        return fail(
          `${ctx.provider} ${op}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          "",
        );
      }
      requests++;
      latencies.push(performance.now() - started);
      if (ok.includes(answer.status)) return answer;
      const fault =
        faultable &&
        ((ctx.scenario === "flaky" && answer.status === 503) ||
          (ctx.scenario === "rate-limited" && answer.status === 429));
      if (fault && attempt < 20) {
        note(expected, `${ctx.scenario}: ${ctx.provider} ${answer.status}`);
        continue;
      }
      const text = answer.body.kind === "text" ? answer.body.value.slice(0, 200) : `<${answer.body.kind}>`;
      return fail(
        `${ctx.provider} ${op} answered ${answer.status}${ctx.scenario !== "none" ? ` (${ctx.scenario})` : ""}`,
        text,
      );
    }
  }
  const json = <T>(answer: SimResponse) =>
    JSON.parse(answer.body.kind === "text" ? answer.body.value : "null") as T;
  const path = (absolute: string) => {
    const parsed = new URL(absolute);
    if (parsed.origin !== base.origin) throw new Failure(`a URL outside the server: ${absolute}`);
    return `${parsed.pathname}${parsed.search}`;
  };
  const download = async (ctx: Parameters<typeof call>[0], link: string) => {
    const answer = await call(ctx, "download", "GET", path(link), {}, [200], undefined, false);
    if (answer.body.kind !== "bytes" || answer.body.value.byteLength < 50)
      fail(`${ctx.provider} download not an image`, "");
  };

  async function poll<T>(
    ctx: Parameters<typeof call>[0],
    target: string,
    headers: Record<string, string>,
    done: (body: T) => boolean,
  ): Promise<T> {
    for (let i = 0; i < 20; i++) {
      const body = json<T>(await call(ctx, "status", "GET", target, headers, [200]));
      if (done(body)) return body;
    }
    return fail(`${ctx.provider} task never finished`, target);
  }

  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const hookUrl = () =>
    `${hooks}/${pick(["ok", "ok", "ok", "ok", "ok", "ok", "ok", "flaky", "flaky", "fail"])}`;

  const run: Record<string, (ctx: Parameters<typeof call>[0], image: Uint8Array) => Promise<void>> = {
    async freepik(ctx, image) {
      const headers = { "x-freepik-api-key": "soak-freepik", "content-type": "application/json" };
      const body = {
        image: Buffer.from(image).toString("base64"),
        ...(random() < 0.3 ? { webhook_url: hookUrl() } : {}),
      };
      const created = json<{ data: { task_id: string } }>(
        await call(
          ctx,
          "create",
          "POST",
          "/freepik/v1/ai/image-upscaler",
          headers,
          [200],
          new TextEncoder().encode(JSON.stringify(body)),
        ),
      );
      const status = `/freepik/v1/ai/image-upscaler/${created.data.task_id}`;
      accept({ ns: ctx.ns, provider: "freepik", url: status, headers });
      const final = await poll<{ data: { status: string; generated: string[] } }>(ctx, status, headers, (b) =>
        ["COMPLETED", "FAILED"].includes(b.data.status),
      );
      if (final.data.status === "FAILED") {
        if (ctx.scenario !== "task-failure") fail("freepik task FAILED without task-failure", status);
        return note(expected, "task-failure: freepik FAILED");
      }
      await download(ctx, final.data.generated[0]!);
    },
    async "fal-queue"(ctx, image) {
      const auth = { authorization: "Key soak-fal:secret" };
      const headers = { ...auth, "content-type": "application/json" };
      const initiated = json<{ upload_url: string; file_url: string }>(
        await call(
          ctx,
          "initiate",
          "POST",
          "/fal/rest/storage/upload/initiate?storage_type=fal-cdn-v3",
          headers,
          [200],
          new TextEncoder().encode(JSON.stringify({ content_type: "image/png", file_name: "in.png" })),
          false,
        ),
      );
      await call(
        ctx,
        "put",
        "PUT",
        path(initiated.upload_url),
        { "content-type": "image/png" },
        [200],
        image,
        false,
      );
      const webhook = random() < 0.3 ? `?fal_webhook=${encodeURIComponent(hookUrl())}` : "";
      const submitted = json<{ status_url: string; response_url: string }>(
        await call(
          ctx,
          "submit",
          "POST",
          `/fal/queue/fal-ai/ideogram/upscale${webhook}`,
          headers,
          [200],
          new TextEncoder().encode(JSON.stringify({ image_url: initiated.file_url })),
        ),
      );
      accept({ ns: ctx.ns, provider: "fal", url: path(submitted.status_url), headers: auth });
      await poll<{ status: string }>(ctx, path(submitted.status_url), auth, (b) => b.status === "COMPLETED");
      const result = await call(
        ctx,
        "result",
        "GET",
        path(submitted.response_url),
        auth,
        ctx.scenario === "task-failure" ? [422] : [200],
      );
      if (result.status === 422) return note(expected, "task-failure: fal 422");
      await download(ctx, json<{ images: Array<{ url: string }> }>(result).images[0]!.url);
    },
    async "fal-sync"(ctx, image) {
      const body = {
        image_url: `data:image/png;base64,${Buffer.from(image).toString("base64")}`,
        sync_mode: random() < 0.5,
      };
      const answer = await call(
        ctx,
        "run",
        "POST",
        "/fal/run/fal-ai/ideogram/upscale",
        { authorization: "Key soak-fal:secret", "content-type": "application/json" },
        ctx.scenario === "task-failure" ? [422] : [200],
        new TextEncoder().encode(JSON.stringify(body)),
      );
      if (answer.status === 422) return note(expected, "task-failure: fal 422");
      const link = json<{ images: Array<{ url: string }> }>(answer).images[0]!.url;
      if (!link.startsWith("data:")) await download(ctx, link);
    },
    async ideogram(ctx, image) {
      const form = multipart([
        { name: "image_request", value: JSON.stringify({ num_images: 1 + Math.floor(random() * 2) }) },
        { name: "image_file", value: image, filename: "in.png", type: "image/png" },
      ]);
      const answer = await call(
        ctx,
        "upscale",
        "POST",
        "/ideogram/upscale",
        { "api-key": "soak-ideogram", "content-type": form.contentType },
        ctx.scenario === "task-failure" ? [422] : [200],
        form.body,
      );
      if (answer.status === 422) return note(expected, "task-failure: ideogram 422");
      await download(ctx, json<{ data: Array<{ url: string }> }>(answer).data[0]!.url);
    },
    async chainhub(ctx, image) {
      const headers = { authorization: "Bearer soak-chainhub", accept: "application/json" };
      const form = multipart([
        { name: "image_request", value: "{}" },
        { name: "image_file", value: image, filename: "in.png", type: "image/png" },
      ]);
      const created = json<{ data: { task_id: string } }>(
        await call(
          ctx,
          "submit",
          "POST",
          "/chainhub/ideogram/upscale",
          { ...headers, "content-type": form.contentType },
          [200],
          form.body,
        ),
      );
      const status = `/chainhub/ideogram/upscale/${created.data.task_id}`;
      accept({ ns: ctx.ns, provider: "chainhub", url: status, headers });
      const final = await poll<{
        data: { task_status: string; task_result?: { images: Array<{ url: string }> } };
      }>(ctx, status, headers, (b) => ["succeed", "failed"].includes(b.data.task_status));
      if (final.data.task_status === "failed") {
        if (ctx.scenario !== "task-failure") fail("chainhub task failed without task-failure", status);
        return note(expected, "task-failure: chainhub failed");
      }
      await download(ctx, final.data.task_result!.images[0]!.url);
    },
    async onemin(ctx, image) {
      const form = multipart([{ name: "asset", value: image, filename: "in.png", type: "image/png" }]);
      const asset = json<{ fileContent: { path: string } }>(
        await call(
          ctx,
          "asset",
          "POST",
          "/onemin/api/assets",
          { "api-key": "soak-onemin", "content-type": form.contentType },
          [200],
          form.body,
          false,
        ),
      );
      const feature = {
        type: "IMAGE_UPSCALER",
        model: "ideogram-3",
        promptObject: { imageUrl: asset.fileContent.path, num_images: 1 },
      };
      const answer = json<{
        aiRecord: { status: string; aiRecordDetail: { responseObject: { data: Array<{ url: string }> } } };
      }>(
        await call(
          ctx,
          "feature",
          "POST",
          "/onemin/api/features",
          { "api-key": "soak-onemin", "content-type": "application/json" },
          [200],
          new TextEncoder().encode(JSON.stringify(feature)),
        ),
      );
      if (answer.aiRecord.status === "FAILED") {
        if (ctx.scenario !== "task-failure") fail("onemin record FAILED without task-failure", "");
        return note(expected, "task-failure: onemin FAILED");
      }
      await download(ctx, answer.aiRecord.aiRecordDetail.responseObject.data[0]!.url);
    },
  };
  const providers = Object.keys(run);

  // RSS every second; the virtual clock moves 2 s per 250 ms in every namespace (webhook retries).
  const rss: number[] = [];
  const sampler = setInterval(() => {
    try {
      rss.push(rssOf());
    } catch {}
  }, 1_000);
  let ticking = true;
  const ticker = (async () => {
    while (ticking) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      for (const ns of namespaces)
        await admin("POST", "clock/advance", { namespace: ns, ms: 2_000 }).catch(() => {});
    }
  })();

  /**
   * RSS is read twice in the same condition, so the two readings compare: after warm-up and at
   * the end, the workers pause, the server collects its garbage (the soak server on SIGUSR2, the
   * CLI after 10 s idle), and RSS is read once it has stopped falling (at most `settleMs` more).
   * Under load RSS swings by tens of MB with GC; live memory is what a leak grows.
   */
  const settleMs = 6_000;
  const quietRss = async () => {
    // The soak server collects its garbage on SIGUSR2. The CLI cannot be asked to: V8's memory
    // reducer collects and shrinks the heap once the process has been idle for some 8 s.
    const gcOnSignal = options.maxTasks !== undefined;
    if (gcOnSignal) process.kill(child.pid, "SIGUSR2");
    // Then RSS falls for a while as freed pages are given back: read it once it has stopped moving.
    const samples: number[] = [];
    await new Promise((resolve) => setTimeout(resolve, gcOnSignal ? 500 : 10_000));
    const until = performance.now() + settleMs;
    while (performance.now() < until) {
      samples.push(rssOf());
      const last = samples.slice(-4);
      if (last.length === 4 && Math.max(...last) - Math.min(...last) < MB) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return median(samples.slice(-4));
  };
  let gate: Promise<void> | undefined;
  let rssAfterWarmup = 0;
  let pausedMs = 0;
  const started = performance.now();
  const deadline = started + options.durationS * 1_000;
  const warmupAt = started + options.durationS * 1_000 * options.warmup;
  let busy = options.workers;
  let idle: (() => void) | undefined;
  const pauseForBaseline = async () => {
    let release!: () => void;
    gate = new Promise<void>((resolve) => (release = resolve));
    await new Promise<void>((resolve) => {
      idle = resolve;
      if (busy === 0) resolve();
    });
    const pausedAt = performance.now();
    rssAfterWarmup = await quietRss();
    pausedMs += performance.now() - pausedAt;
    log(`  baseline after warm-up: RSS ${Math.round(rssAfterWarmup / MB)} MB`);
    gate = undefined;
    release();
  };
  let baselineTaken = false;
  let baselineAtS = 0;
  let storesFull = false;
  const latestBaselineAt = started + options.durationS * 1_000 * 0.75;
  const full = () => namespaces.every((ns) => (acceptedIn.get(ns) ?? 0) >= taskCap);
  let lastReport = started;
  const worker = async (index: number) => {
    const ns = namespaces[index % namespaces.length]!;
    while (performance.now() - pausedMs < deadline) {
      const now = performance.now() - pausedMs;
      if (!baselineTaken && now >= warmupAt && (full() || now >= latestBaselineAt)) {
        baselineTaken = true;
        storesFull = full();
        baselineAtS = Math.round((now - started) / 100) / 10;
        void pauseForBaseline();
      }
      if (gate) {
        busy--;
        if (busy === 0) idle?.();
        await gate;
        busy++;
      }
      const provider = pick(providers);
      const roll = random();
      const scenario: Scenario =
        roll < 0.7 ? "none" : roll < 0.8 ? "flaky" : roll < 0.9 ? "rate-limited" : "task-failure";
      // rate-limited refuses the first two attempts of each phase: count them afresh for this flow.
      if (scenario === "rate-limited") await admin("DELETE", `scenarios?namespace=${ns}`);
      note(flows, provider);
      try {
        await run[provider]!({ ns, scenario, provider }, pick(images));
      } catch (error) {
        if (!(error instanceof Failure)) throw error;
      }
      if (index === 0 && performance.now() - lastReport > 10_000) {
        lastReport = performance.now();
        log(
          `  ${Math.round((lastReport - started) / 1000)} s: ${requests} requests, RSS ${Math.round((rss.at(-1) ?? 0) / MB)} MB`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i)));
  const elapsedS = (performance.now() - started - pausedMs) / 1000;
  ticking = false;
  await ticker;
  const rssEnd = await quietRss();
  clearInterval(sampler);

  const failures: string[] = [];
  // Every accepted task still answers, in a final state, unless the namespace's task cap has
  // pushed it out: the store keeps the newest `taskCap` tasks and evicts the oldest finished one
  // first, so every task among the newest (cap − workers) of its namespace must answer, and the
  // older ones may be gone only when the namespace accepted more than the cap.
  let retrievable = 0;
  let evicted = 0;
  let notRetrievable = 0;
  for (const ns of namespaces) {
    const mine = accepted.filter((task) => task.ns === ns);
    const guaranteed = Math.max(0, taskCap - options.workers);
    for (let i = 0; i < mine.length; i += 32) {
      await Promise.all(
        mine.slice(i, i + 32).map(async (task, j) => {
          const answer = await rawRequest(
            agent,
            "GET",
            new URL(task.url, base),
            undefined,
            { ...task.headers, "x-mock-namespace": ns },
            new Uint8Array(),
            30_000,
          ).catch(() => undefined);
          const text = answer?.body.kind === "text" ? answer.body.value : "";
          const newest = mine.length - (i + j) <= guaranteed;
          if (answer?.status === 200 && /"(COMPLETED|FAILED|succeed|failed)"/.test(text)) retrievable++;
          else if (answer?.status === 404 && !newest) evicted++;
          else notRetrievable++;
        }),
      );
    }
    if (mine.length <= guaranteed && mine.length > 0 && evicted > 0)
      failures.push(
        `Tasks were evicted in ${ns} although it held ${mine.length}, under the cap of ${taskCap}.`,
      );
  }
  if (notRetrievable > 0)
    failures.push(
      `${notRetrievable} of ${accepted.length} accepted tasks within the task cap were not retrievable in a final state.`,
    );

  // Webhooks: move each clock on until no delivery is pending (every retry schedule runs out).
  const deliveriesOf = async () =>
    (await Promise.all(namespaces.map((ns) => admin("GET", `webhooks?namespace=${ns}`)))).flatMap(
      (answer) =>
        answer.deliveries as Array<{
          provider: string;
          url: string;
          state: string;
          attempts: Array<{ status?: number }>;
        }>,
    );
  let deliveries = await deliveriesOf();
  for (let round = 0; round < 40 && deliveries.some((d) => d.state === "pending"); round++) {
    for (const ns of namespaces) await admin("POST", "clock/advance", { namespace: ns, ms: 2 * 3600_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    deliveries = await deliveriesOf();
  }
  const maxAttempts: Record<string, number> = { freepik: 6, fal: 10 };
  let delivered = 0;
  let gaveUp = 0;
  let unsettled = 0;
  for (const d of deliveries) {
    if (d.state === "delivered") delivered++;
    else if (
      d.state === "gave-up" &&
      d.attempts.length === maxAttempts[d.provider] &&
      d.attempts.every((a) => a.status === 500) &&
      d.url.includes("/fail")
    )
      gaveUp++;
    else unsettled++;
  }
  if (unsettled > 0)
    failures.push(`${unsettled} webhook deliveries neither delivered nor given up after all their attempts.`);
  if (deliveries.length === 0) failures.push("No webhook was sent: the soak did not exercise webhooks.");

  const growthPct = rssAfterWarmup > 0 ? ((rssEnd - rssAfterWarmup) / rssAfterWarmup) * 100 : 0;
  // A leak grows memory; RSS falling after warm-up (a busy moment at the baseline) is reported only.
  if (growthPct > 15)
    failures.push(`RSS grew ${growthPct.toFixed(1)} % from warm-up to the end (limit 15 %).`);
  const unexpectedCount = Object.values(unexpected).reduce((n, e) => n + e.count, 0);
  if (unexpectedCount > 0)
    failures.push(`${unexpectedCount} unexpected errors: ${JSON.stringify(unexpected)}`);
  const health = await rawRequest(
    agent,
    "GET",
    new URL("/__admin/health", base),
    undefined,
    {},
    new Uint8Array(),
  ).catch(() => undefined);
  if (health?.status !== 200) failures.push("The server stopped answering its health check.");

  agent.destroy();
  // SIGTERM, then SIGKILL if it has not exited within 10 s.
  await stopChild(child.child, 10_000);
  await new Promise((resolve) => receiver.close(resolve));

  const sorted = latencies.sort((a, b) => a - b);
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return {
    durationS: round1(elapsedS),
    workers: options.workers,
    requests,
    ratePerS: Math.round(requests / elapsedS),
    flows,
    expected,
    unexpected,
    latencyMs: {
      p50: round1(percentile(sorted, 50)),
      p99: round1(percentile(sorted, 99)),
      max: round1(sorted.at(-1) ?? 0),
    },
    rss: {
      samples: rss.map((bytes) => Math.round(bytes / MB)),
      afterWarmupMB: Math.round(rssAfterWarmup / MB),
      endMB: Math.round(rssEnd / MB),
      growthPct: round1(growthPct),
      maxMB: Math.round(Math.max(0, ...rss) / MB),
      baselineAtS,
      storesFull,
    },
    tasks: { accepted: accepted.length, retrievable, evicted, notRetrievable, cap: taskCap },
    webhooks: {
      total: deliveries.length,
      delivered,
      gaveUp,
      unsettled,
      sent: deliveriesSeen.size,
      acknowledged: [...deliveriesSeen.values()].filter(Boolean).length,
      attempts: received,
    },
    failures,
  };
}

export function formatReport(r: SoakReport): string {
  const lines = [
    `soak: ${r.durationS} s, ${r.workers} workers, ${r.requests} requests (${r.ratePerS}/s)`,
    `  flows:        ${Object.entries(r.flows)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `  latency:      p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms`,
    `  expected:     ${
      Object.entries(r.expected)
        .map(([k, v]) => `${k} ×${v}`)
        .join(", ") || "none"
    }`,
    `  unexpected:   ${
      Object.entries(r.unexpected)
        .map(([k, v]) => `${k} ×${v.count} (${v.sample})`)
        .join(", ") || "none"
    }`,
    `  tasks:        ${r.tasks.accepted} accepted: ${r.tasks.retrievable} retrievable in a final state, ${r.tasks.evicted} pushed out by the cap (${r.tasks.cap} per namespace), ${r.tasks.notRetrievable} missing`,
    `  webhooks:     ${r.webhooks.sent} deliveries reached the receiver (${r.webhooks.acknowledged} acknowledged, ${r.webhooks.attempts} attempts); listed at the end: ${r.webhooks.total}: ${r.webhooks.delivered} delivered, ${r.webhooks.gaveUp} given up after all attempts, ${r.webhooks.unsettled} unsettled`,
    `  RSS:          ${r.rss.afterWarmupMB} MB after warm-up (at ${r.rss.baselineAtS} s, task stores ${r.rss.storesFull ? "full" : "NOT yet full"}), ${r.rss.endMB} MB at the end (${r.rss.growthPct >= 0 ? "+" : ""}${r.rss.growthPct} %), max ${r.rss.maxMB} MB`,
    `  RSS (1/s):    ${r.rss.samples.join(" ")}`,
  ];
  if (r.failures.length > 0) lines.push(...r.failures.map((f) => `  FAILED: ${f}`));
  return lines.join("\n");
}
