/**
 * Suite `sim` (issue "simulators"), in-process:
 * - a Freepik 16x task (minutes of provider time) polled every 3 s settles in < 100 ms of wall
 *   time on a VirtualClock with autoAdvance, called directly and through MSW + fetch;
 * - a repeated identical upscale (cache hit) is ≥ 20x faster than the first.
 */
import { setupServer } from "msw/node";
import { ImageUpscaler } from "../../mocks/engine/images.ts";
import type { ImagesMode } from "../../mocks/engine/provider.ts";
import type { Simulator } from "../../mocks/engine/simulator.ts";
import { createHandlers } from "../../mocks/msw.ts";
import { createSimulator } from "../../mocks/simulator.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import type { Row, SuiteResult } from "../lib/report.ts";
import { median, timeMs } from "../lib/stats.ts";

export interface SimOptions {
  /** Simulated 16x tasks per transport. */
  runs: number;
  /** Fresh ImageUpscaler instances timed on their first call, per factor. */
  firstCalls: number;
  /** Repeated (cached) calls timed per factor. */
  hits: number;
  /** Side of the square PNG upscaled in the cache benchmark. */
  imageSize: number;
}

type Call = (
  method: "GET" | "POST",
  path: string,
  body?: string,
) => Promise<{ status: number; json: unknown }>;

const headers = { "x-freepik-api-key": "bench", "content-type": "application/json" };
const pollEveryMs = 3_000;
const maxPolls = 10_000;

interface Settled {
  wallMs: number;
  virtualMs: number;
  polls: number;
}

interface FreepikTask {
  data: { task_id: string; status: string };
}

/** Submits a 16x creative upscale and polls every 3 s (on the clock) until it completes. */
async function settle16x(call: Call, clock: VirtualClock, image: string): Promise<Settled> {
  const startedWall = performance.now();
  const startedVirtual = clock.now();
  const submitted = await call(
    "POST",
    "/v1/ai/image-upscaler",
    JSON.stringify({ image, scale_factor: "16x" }),
  );
  if (submitted.status !== 200) throw new Error(`Failed to submit: status ${submitted.status}.`);
  const id = (submitted.json as FreepikTask).data.task_id;
  let status = (submitted.json as FreepikTask).data.status;
  let polls = 0;
  while (status !== "COMPLETED") {
    if (status === "FAILED" || polls >= maxPolls)
      throw new Error(`Failed to settle: ${status} after ${polls} polls.`);
    await clock.sleep(pollEveryMs);
    const answer = await call("GET", `/v1/ai/image-upscaler/${id}`);
    polls++;
    status = (answer.json as FreepikTask).data.status;
  }
  return { wallMs: performance.now() - startedWall, virtualMs: clock.now() - startedVirtual, polls };
}

function directCall(simulator: Simulator): Call {
  const hosts = simulator.providers.get("freepik")!.hosts;
  const encoder = new TextEncoder();
  return async (method, path, body) => {
    const answer = await simulator.handle({
      provider: "freepik",
      host: "api",
      req: {
        method,
        path,
        query: new URLSearchParams(),
        headers,
        body: body === undefined ? new Uint8Array() : encoder.encode(body),
      },
      url: (host, p) => `${hosts[host]}${p}`,
      resolveOwn: () => undefined,
    });
    return { status: answer.status, json: answer.body.kind === "json" ? answer.body.value : undefined };
  };
}

const fetchCall: Call = async (method, path, body) => {
  const response = await fetch(`https://api.freepik.com${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, json: await response.json() };
};

type Transport = "direct" | "msw";

/** One fresh simulator (own clock, seed) per run; only submit-to-COMPLETED is timed. */
export async function measureSettle(
  transport: Transport,
  images: ImagesMode,
  runs: number,
  image: string,
): Promise<Settled[]> {
  const results: Settled[] = [];
  for (let run = 0; run < runs; run++) {
    const clock = new VirtualClock({ autoAdvance: true });
    const simulator = createSimulator({ clock, seed: run + 1, images });
    if (transport === "direct") {
      results.push(await settle16x(directCall(simulator), clock, image));
      continue;
    }
    const server = setupServer(...createHandlers({ simulator }));
    server.listen({ onUnhandledRequest: "error" });
    try {
      results.push(await settle16x(fetchCall, clock, image));
    } finally {
      server.close();
    }
  }
  return results;
}

/** Median first call on fresh instances vs median repeated call on one instance. */
export async function measureCache(
  input: Uint8Array,
  scale: number,
  options: Pick<SimOptions, "firstCalls" | "hits">,
): Promise<{ firstMs: number; hitMs: number }> {
  // Each call gets its own copy, as each request brings its own body: the hash of a buffer is
  // remembered, and a request's is computed once.
  const firsts: number[] = [];
  let warm = new ImageUpscaler();
  for (let i = 0; i < options.firstCalls; i++) {
    warm = new ImageUpscaler();
    const copy = input.slice();
    firsts.push(await timeMs(() => warm.upscale(copy, { scale })));
  }
  const hits: number[] = [];
  for (let i = 0; i < options.hits; i++) {
    const copy = input.slice();
    hits.push(await timeMs(() => warm.upscale(copy, { scale })));
  }
  if (warm.misses !== 1 || warm.hits !== options.hits)
    throw new Error(`Failed to measure cache hits: ${warm.misses} misses, ${warm.hits} hits.`);
  return { firstMs: median(firsts), hitMs: median(hits) };
}

function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

export async function runSimSuite(
  options: SimOptions,
  log: (line: string) => void = () => {},
): Promise<SuiteResult> {
  const rows: Row[] = [];
  const image = toBase64(await makeImage(64, 48));
  const settleCases: Array<{ transport: Transport; images: ImagesMode; label: string }> = [
    { transport: "direct", images: "lazy", label: "simulator.handle, images lazy" },
    { transport: "msw", images: "lazy", label: "MSW + fetch, images lazy" },
    { transport: "msw", images: "eager", label: "MSW + fetch, images eager (default)" },
  ];
  for (const c of settleCases) {
    log(`sim: freepik 16x via ${c.label}…`);
    const runs = await measureSettle(c.transport, c.images, options.runs, image);
    const wall = median(runs.map((r) => r.wallMs));
    const virtual = median(runs.map((r) => r.virtualMs));
    rows.push({
      scenario: "freepik 16x task, 3 s polls, VirtualClock",
      subject: c.label,
      metric: `wall to COMPLETED (median of ${runs.length})`,
      value: wall,
      unit: "ms",
      anchor: `virtual ${minutes(virtual)}, ${median(runs.map((r) => r.polls))} polls`,
      ratio: virtual / wall,
      goal: { kind: "value-below", max: 100 },
    });
  }
  const input = await makeImage(options.imageSize, options.imageSize);
  for (const scale of [2, 4]) {
    log(`sim: ImageUpscaler ${options.imageSize}px → ${scale}x, first vs repeated…`);
    const { firstMs, hitMs } = await measureCache(input, scale, options);
    rows.push({
      scenario: "repeated identical upscale (cache hit)",
      subject: `ImageUpscaler ${options.imageSize}x${options.imageSize} PNG (${Math.round(input.byteLength / 1024)} KB) → ${scale}x`,
      metric: `repeat call (median of ${options.hits})`,
      value: hitMs,
      unit: "ms",
      anchor: `first call ${firstMs.toFixed(1)} ms (median of ${options.firstCalls})`,
      ratio: firstMs / hitMs,
      goal: { kind: "ratio-at-least", min: 20 },
    });
  }
  return {
    name: "sim",
    title: "Simulators in-process (issue: simulators)",
    rows,
    notes: [
      "16x rows: ratio = virtual time / wall time (the speed-up the VirtualClock gives); the goal is absolute wall time.",
      "Each 16x run uses a fresh simulator (all registered providers, seed = run number) and a 64x48 PNG; only submit → COMPLETED is timed.",
      "Cache rows: ratio = first call on a fresh ImageUpscaler / repeated call on a warm one (both include the sha256 of the input).",
    ],
  };
}
