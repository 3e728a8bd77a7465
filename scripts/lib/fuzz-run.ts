/**
 * Runs fuzz cases against the simulators, in-process (`simulator.handle`) or over HTTP (the
 * standalone server), and judges every answer: the status is declared for the operation and the
 * body matches its schema (SpecConformance: zero violations), no 5xx unless a scenario asked for
 * an outage, and, without a scenario, the answer the case expects (a valid request is accepted,
 * a broken one refused with a 4xx, wrong credentials with 401).
 *
 * `FUZZ_SEED` replays a run, `FUZZ_OP` picks operations (comma-separated ids or operationIds),
 * `FUZZ_PATH` replays one counterexample; every failure prints all three.
 */
import { Agent, request as httpRequest } from "node:http";
import fc from "fast-check";
import type { ProviderId } from "../../mocks/engine/faults.ts";
import type { SimBody, SimRequest, SimResponse } from "../../mocks/engine/sim-http.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import {
  type CaseInputs,
  casesFor,
  type FuzzCase,
  fuzzKey,
  poolSizes,
  ref,
  summarize,
  type WireRequest,
} from "./fuzz-cases.ts";
import { loadOperations, type SpecOperation } from "./fuzz-spec.ts";
import { badImages, goodImages } from "./hostile-images.ts";
import { encodeMultipart, multipart } from "./multipart.ts";
import { SpecConformance } from "./spec-conformance.ts";

export const fuzzNamespace = "fuzz";

/** One way of reaching the simulators. */
export interface FuzzTransport {
  name: string;
  inputs: CaseInputs;
  send(provider: ProviderId, host: string, wire: WireRequest): Promise<SimResponse>;
  /** For absolute URLs the simulator handed out (upload URLs, status URLs). */
  sendUrl(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<SimResponse>;
  /** Whether the server still answers its health check. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

export interface LiveFixtures {
  values: Map<string, string>;
}

// ---------------------------------------------------------------- transports

/** The simulator in this process, called exactly as a transport calls it. */
export async function inProcessTransport(): Promise<FuzzTransport & { simulator: Simulator }> {
  const simulator = createSimulator({
    clock: new VirtualClock(),
    latency: "none",
    seed: 7,
    // Sent nowhere: fuzzed webhook targets are recorded, never contacted.
    webhookSender: async () => ({ status: 204 }),
    settings: { "onemin.rateLimitPerMinute": "0" },
  });
  const origins = [...simulator.providers].flatMap(([provider, d]) =>
    Object.entries(d.hosts).map(([host, origin]) => ({ provider, host, origin })),
  );
  const resolveOwn = (url: string) => {
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    const found = origins.find((o) => o.origin === parsed.origin);
    return found ? { provider: found.provider, host: found.host, path: parsed.pathname } : undefined;
  };
  const handle = (provider: ProviderId, host: string, req: SimRequest) =>
    simulator.handle({
      provider,
      host,
      req,
      namespace: fuzzNamespace,
      url: (h, p) => `${simulator.providers.get(provider)!.hosts[h]}${p}`,
      resolveOwn,
    });
  const toReq = (wire: WireRequest): SimRequest => ({
    method: wire.method,
    path: wire.path,
    query: new URLSearchParams(wire.query),
    headers: { ...wire.headers },
    body: wire.body,
  });
  return {
    name: "in-process",
    simulator,
    inputs: { images: await goodImages(), badImages: await badImages() },
    send: (provider, host, wire) => handle(provider, host, toReq(wire)),
    async sendUrl(method, url, headers, body = new Uint8Array()) {
      const own = resolveOwn(url);
      if (!own) throw new Error(`Failed to send to ${url}: not a simulator URL.`);
      const parsed = new URL(url);
      return handle(
        own.provider,
        own.host,
        toReq({ method, path: own.path, query: parsed.search.slice(1), headers, body }),
      );
    },
    healthy: async () => true,
    close: async () => {},
  };
}

/** The standalone server on a free loopback port, reached with node:http (raw paths, no normalising). */
export async function httpTransport(
  options: { webhookUrl?: string } = {},
): Promise<FuzzTransport & { server: MockServer }> {
  const server = await startMockServer({
    port: 0,
    latency: "none",
    seed: 7,
    settings: { "onemin.rateLimitPerMinute": "0" },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const send = (
    method: string,
    url: URL | string,
    rawPath: string | undefined,
    headers: Record<string, string>,
    body: Uint8Array,
  ) => rawRequest(agent, method, url, rawPath, { ...headers, "x-mock-namespace": fuzzNamespace }, body);
  return {
    name: "http",
    server,
    inputs: {
      images: await goodImages(),
      badImages: await badImages(),
      ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
    },
    send(provider, host, wire) {
      const base = server.urls[`${provider}.${host}`];
      if (!base) throw new Error(`Failed to send: the server has no ${provider}.${host}.`);
      const url = new URL(base);
      const raw = `${url.pathname}${wire.path}${wire.query ? `?${wire.query}` : ""}`;
      return send(wire.method, url, raw, wire.headers, wire.body);
    },
    sendUrl: (method, url, headers, body = new Uint8Array()) => send(method, url, undefined, headers, body),
    async healthy() {
      const answer = await rawRequest(
        agent,
        "GET",
        `${server.url}/__admin/health`,
        undefined,
        {},
        new Uint8Array(),
      );
      return answer.status === 200;
    },
    async close() {
      agent.destroy();
      await server.close(1_000);
    },
  };
}

/** One HTTP exchange as a SimResponse (for the spec checker); bounded in time and size. */
export function rawRequest(
  agent: Agent | undefined,
  method: string,
  target: URL | string,
  rawPath: string | undefined,
  headers: Record<string, string>,
  body: Uint8Array,
  timeoutMs = 15_000,
): Promise<SimResponse> {
  const url = typeof target === "string" ? new URL(target) : target;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: rawPath ?? `${url.pathname}${url.search}`,
        headers: { ...headers, "content-length": String(body.byteLength) },
      },
      (res) => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        const type = responseHeaders["content-type"] ?? "";
        if (type.startsWith("text/event-stream")) {
          // A status stream runs until the task ends: its headers are the answer here.
          res.destroy();
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            body: { kind: "stream", chunks: (async function* () {})() },
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          clearTimeout(timer);
          const data = Buffer.concat(chunks);
          let simBody: SimBody;
          if (data.length === 0) simBody = { kind: "empty" };
          else if (/json|^text\/|xml/.test(type)) simBody = { kind: "text", value: data.toString("utf8") };
          else simBody = { kind: "bytes", value: new Uint8Array(data) };
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: simBody });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`No answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}

// ---------------------------------------------------------------- fixtures

export function jsonOf(answer: SimResponse): Record<string, unknown> {
  if (answer.body.kind === "json") return answer.body.value as Record<string, unknown>;
  if (answer.body.kind === "text") return JSON.parse(answer.body.value) as Record<string, unknown>;
  throw new Error(`Expected a JSON answer, got ${answer.status} with a ${answer.body.kind} body.`);
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function ok(what: string, answer: Promise<SimResponse>): Promise<Record<string, unknown>> {
  const done = await answer;
  if (done.status < 200 || done.status >= 300)
    throw new Error(
      `Failed to prepare the fuzz fixtures: ${what} answered ${done.status}: ${JSON.stringify(done.body).slice(0, 300)}`,
    );
  return jsonOf(done);
}

/** Creates the ids, uploads and results valid requests refer to; returns the placeholder values. */
export async function prepareFixtures(t: FuzzTransport): Promise<LiveFixtures> {
  const png = t.inputs.images[0]!;
  const values = new Map<string, string>();
  const freepikKey = { "x-freepik-api-key": fuzzKey, "content-type": "application/json" };
  const falKey = { authorization: `Key ${fuzzKey}`, "content-type": "application/json" };
  const get = (path: string, headers: Record<string, string>): WireRequest => ({
    method: "GET",
    path,
    query: "",
    headers,
    body: new Uint8Array(),
  });
  const post = (path: string, headers: Record<string, string>, body: Uint8Array): WireRequest => ({
    method: "POST",
    path,
    query: "",
    headers,
    body,
  });

  // 1min.ai: an uploaded asset.
  const upload = multipart(
    [{ name: "asset", value: png.data, filename: png.filename, type: png.contentType }],
    "fixture-boundary-0123",
  );
  const asset = await ok(
    "1min.ai asset upload",
    t.send(
      "onemin",
      "api",
      post("/api/assets", { "api-key": fuzzKey, "content-type": upload.contentType }, upload.body),
    ),
  );
  values.set(ref.oneminAsset, String((asset.fileContent as { path: string }).path));

  // fal: a file on fal storage, and queued runs (one finished, one fresh).
  const initiated = await ok(
    "fal upload initiate",
    t.send("fal", "rest", {
      ...post("/storage/upload/initiate", falKey, json({ content_type: "image/png", file_name: "in.png" })),
      query: "storage_type=fal-cdn-v3",
    }),
  );
  const put = await t.sendUrl("PUT", String(initiated.upload_url), { "content-type": "image/png" }, png.data);
  if (put.status !== 200)
    throw new Error(`Failed to prepare the fuzz fixtures: fal PUT answered ${put.status}.`);
  values.set(ref.falFileUrl, String(initiated.file_url));
  for (let i = 0; i < poolSizes.fal!; i++) {
    const submitted = await ok(
      "fal submit",
      t.send(
        "fal",
        "queue",
        post("/fal-ai/ideogram/upscale", falKey, json({ image_url: initiated.file_url })),
      ),
    );
    values.set(ref.id("fal", i), String(submitted.request_id));
    if (i === 0)
      for (let poll = 0; poll < 4; poll++)
        await t.sendUrl("GET", String(submitted.status_url), { authorization: `Key ${fuzzKey}` });
  }

  // chainhub: a finished task.
  const boundary = "fixture-boundary-4567";
  const form = encodeMultipart(
    [
      { name: "image_request", value: "{}" },
      { name: "image_file", value: png.data, filename: "in.png", type: "image/png" },
    ],
    boundary,
  );
  const chainhubHeaders = { authorization: `Bearer ${fuzzKey}`, accept: "application/json" };
  const task = await ok(
    "chainhub submit",
    t.send(
      "chainhub",
      "api",
      post(
        "/ideogram/upscale",
        { ...chainhubHeaders, "content-type": `multipart/form-data; boundary=${boundary}` },
        form,
      ),
    ),
  );
  const taskId = String((task.data as { task_id: string }).task_id);
  values.set(ref.id("chainhub", 0), taskId);
  for (let poll = 0; poll < 3; poll++)
    await t.send("chainhub", "api", get(`/ideogram/upscale/${taskId}`, chainhubHeaders));

  // Freepik: tasks of each kind; the first creative one polled to COMPLETED for its result URL.
  const image = Buffer.from(png.data).toString("base64");
  for (const [pool, path] of [
    ["freepik-creative", "/v1/ai/image-upscaler"],
    ["freepik-precision", "/v1/ai/image-upscaler-precision"],
    ["freepik-precision-v2", "/v1/ai/image-upscaler-precision-v2"],
  ] as const) {
    for (let i = 0; i < poolSizes[pool]!; i++) {
      const created = await ok(
        `freepik ${pool}`,
        t.send("freepik", "api", post(path, freepikKey, json({ image }))),
      );
      const id = String((created.data as { task_id: string }).task_id);
      values.set(ref.id(pool, i), id);
      if (pool === "freepik-creative" && i === 0) {
        let generated: string[] = [];
        for (let poll = 0; poll < 4 && generated.length === 0; poll++) {
          const status = jsonOf(await t.send("freepik", "api", get(`${path}/${id}`, freepikKey)));
          generated = (status.data as { generated: string[] }).generated;
        }
        if (!generated[0])
          throw new Error("Failed to prepare the fuzz fixtures: the Freepik task did not complete.");
        values.set(ref.freepikResultUrl, generated[0]);
      }
    }
  }
  return { values };
}

const token = /__[A-Z]+(?:_[A-Za-z0-9-]+)*__/g;

/** The wire request with every placeholder replaced by what exists on the simulator now. */
export function substitute(wire: WireRequest, live: LiveFixtures): WireRequest {
  const replace = (text: string) => text.replace(token, (found) => live.values.get(found) ?? found);
  // latin1 maps bytes one to one, so binary bodies survive; tokens and their values are ASCII.
  const body = Buffer.from(wire.body.buffer, wire.body.byteOffset, wire.body.byteLength).toString("latin1");
  const replaced = replace(body);
  return {
    ...wire,
    path: replace(wire.path),
    body: replaced === body ? wire.body : new Uint8Array(Buffer.from(replaced, "latin1")),
  };
}

// ---------------------------------------------------------------- oracle

let conformance: SpecConformance | undefined;

/** Everything wrong with an answer (empty when it is right). */
export function judge(c: FuzzCase, answer: SimResponse): string[] {
  conformance ??= new SpecConformance();
  const problems: string[] = [];
  if (answer.transport || answer.status === 0)
    return [`no HTTP answer (${answer.transport?.kind ?? "status 0"})`];
  problems.push(...conformance.check(c.op.provider, c.op.operationId, answer));
  const presets = (c.scenario ?? "").split(",");
  const outage = presets.includes("flaky") || presets.includes("outage");
  if (answer.status >= 500 && !(outage && answer.status === 503))
    problems.push(`answered ${answer.status} without a scenario asking for an outage`);
  if (c.scenario) return problems;
  const { status } = answer;
  if (c.auth === "wrong") {
    if (status !== 401) problems.push(`wrong credentials answered ${status}, not 401`);
    return problems;
  }
  const e = c.expect;
  if ("statuses" in e && !e.statuses.includes(status))
    problems.push(`expected ${e.statuses.join(" or ")} (${c.why}), got ${status}`);
  if ("range" in e && e.range === "2xx" && (status < 200 || status >= 300))
    problems.push(`a valid request was refused with ${status}`);
  if ("range" in e && e.range === "4xx" && (status < 400 || status >= 500))
    problems.push(`an invalid request (${c.why}) answered ${status}, not a 4xx`);
  return problems;
}

function describe(c: FuzzCase, answer: SimResponse): string {
  const text =
    answer.body.kind === "json"
      ? JSON.stringify(answer.body.value)
      : answer.body.kind === "text"
        ? answer.body.value
        : `<${answer.body.kind}>`;
  return `${summarize(c)}\n    answer ${answer.status} ${text.slice(0, 400)}`;
}

// ---------------------------------------------------------------- runner

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** The counterexample path to replay (default: FUZZ_PATH). */
  path?: string;
  /** Refill the fixtures after this many cases (the file store is bounded). */
  refreshEvery?: number;
}

export interface OperationResult {
  op: string;
  runs: number;
  ms: number;
  classes: Record<string, number>;
  statuses: Record<string, number>;
  failure?: string;
}

export function fuzzSeed(): number {
  const fromEnv = process.env.FUZZ_SEED;
  return fromEnv !== undefined && fromEnv !== "" ? Number(fromEnv) : Math.floor(Math.random() * 2 ** 31);
}

/** Operations to fuzz: all, or those named in FUZZ_OP (ids like `fal:submitUpscale` or operationIds). */
export function selectedOperations(): SpecOperation[] {
  const all = loadOperations();
  const wanted = process.env.FUZZ_OP?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return wanted ? all.filter((op) => wanted.includes(op.id) || wanted.includes(op.operationId)) : all;
}

/** Fuzzes one operation; the result carries a replayable report on failure. */
export async function fuzzOperation(
  t: FuzzTransport,
  op: SpecOperation,
  options: FuzzOptions,
): Promise<OperationResult> {
  const started = performance.now();
  let live = await prepareFixtures(t);
  let sent = 0;
  const classes: Record<string, number> = {};
  const statuses: Record<string, number> = {};
  const refreshEvery = options.refreshEvery ?? 100;
  const path = options.path ?? process.env.FUZZ_PATH;
  const property = fc.asyncProperty(casesFor(op, t.inputs), async (c) => {
    if (++sent % refreshEvery === 0) live = await prepareFixtures(t);
    const wire = substitute(c.wire, live);
    const answer = await t.send(op.provider, c.host, wire);
    classes[c.klass] = (classes[c.klass] ?? 0) + 1;
    statuses[answer.status] = (statuses[answer.status] ?? 0) + 1;
    const problems = judge(c, answer);
    if (problems.length > 0)
      throw new Error(`${problems.join("; ")}\n    ${describe({ ...c, wire }, answer)}`);
  });
  const details = await fc.check(property, {
    numRuns: options.runs,
    seed: options.seed,
    ...(path ? { path } : {}),
    // Shrinking re-sends requests; keep a failing run bounded.
    interruptAfterTimeLimit: 120_000,
    markInterruptAsFailure: false,
  });
  const result: OperationResult = {
    op: op.id,
    runs: details.numRuns,
    ms: Math.round(performance.now() - started),
    classes,
    statuses,
  };
  if (details.failed) {
    const replay = `FUZZ_SEED=${details.seed} FUZZ_OP=${op.id} FUZZ_PATH=${details.counterexamplePath ?? ""}`;
    result.failure = `${op.id} over ${t.name} failed (replay: ${replay})\n${fc.defaultReportMessage(details) ?? ""}`;
  }
  return result;
}
