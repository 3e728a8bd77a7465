/**
 * Suite `server` (issue "standalone server"): our server against Prism's static mock, a bare
 * node:http server and aimock, each in its own child process, under autocannon on loopback.
 * Within a scenario the servers are interleaved round by round (A, B, C, A, B, C, …) so drift
 * on a noisy machine hits all of them alike; ratios are medians of per-round ratios.
 */
import { providerDefinitions } from "../../mocks/providers/index.ts";
import { sampleRss, stopAll } from "../../scripts/lib/child.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { type LoadResult, type LoadSpec, runLoad } from "../lib/load.ts";
import type { Row, SuiteResult } from "../lib/report.ts";
import { describe, type Measured, rssRow, startupRows, throughputRows } from "./server-rows.ts";
import {
  aimockFalHeaders,
  falKey,
  freepikKey,
  launch,
  prismTaskId,
  resetNamespaces,
  seedFalRequest,
  seedFreepikTask,
  type Target,
} from "./server-targets.ts";

export interface ServerOptions {
  seconds: number;
  rounds: number;
  connections: number;
  /** Cold starts per server for time-to-first-200. */
  starts: number;
  /** Unmeasured load per server before a scenario's rounds (0 to skip). */
  warmupSeconds: number;
}

interface Contender {
  target: Target;
  /** The load for round `round` (0-based); `namespaces` collects what ours must forget after. */
  spec(round: number, namespaces: Set<string>): LoadSpec;
}

/** Per connection, submits move to a fresh namespace every this many answers (cap is 10 000). */
const namespaceBlock = 900;

function submitSpec(target: Target, body: string, label: string) {
  const path = target.name === "ours" ? "/freepik/v1/ai/image-upscaler" : "/v1/ai/image-upscaler";
  return (round: number, namespaces: Set<string>): LoadSpec => ({
    url: `${target.url}${path}`,
    method: "POST",
    body,
    // Prism ignores the header; it is sent to both so the client does the same work for each.
    rotate: {
      every: namespaceBlock,
      headers: (block) => {
        const namespace = `bench-${label}-r${round}-b${block}`;
        namespaces.add(namespace);
        return { ...freepikKey, "content-type": "application/json", "x-mock-namespace": namespace };
      },
    },
  });
}

async function interleave(
  scenario: string,
  contenders: Contender[],
  options: ServerOptions,
  log: (line: string) => void,
): Promise<Measured[]> {
  const measured = contenders.map((c) => ({ name: c.target.name, runs: [] as LoadResult[], peakRssKb: 0 }));
  const ours = contenders.find((c) => c.target.name === "ours")?.target;
  const forget = async (namespaces: Set<string>) => {
    if (ours && namespaces.size > 0) await resetNamespaces(ours, namespaces);
  };
  if (options.warmupSeconds > 0) {
    for (const c of contenders) {
      const namespaces = new Set<string>();
      await runLoad(c.spec(-1, namespaces), {
        connections: options.connections,
        seconds: options.warmupSeconds,
      });
      await forget(namespaces);
    }
  }
  for (let round = 0; round < options.rounds; round++) {
    for (const [index, c] of contenders.entries()) {
      const namespaces = new Set<string>();
      const rss = sampleRss(c.target.pid);
      const result = await runLoad(c.spec(round, namespaces), {
        connections: options.connections,
        seconds: options.seconds,
      });
      const peak = rss.stop();
      await forget(namespaces);
      const entry = measured[index]!;
      entry.runs.push(result);
      entry.peakRssKb = Math.max(entry.peakRssKb, peak);
      log(
        `server: ${scenario} round ${round + 1}/${options.rounds} ${c.target.name}: ${Math.round(result.okPerSec)} 2xx/s, ${result.non2xx} non-2xx, ${result.errors} errors, peak RSS ${Math.round(peak / 1024)} MB`,
      );
    }
  }
  return measured;
}

export async function runServerSuite(
  options: ServerOptions,
  log: (line: string) => void = () => {},
): Promise<SuiteResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  const falRegistered = providerDefinitions.fal !== undefined;
  const tiny = toBase64(await makeImage(4, 4));
  const large = toBase64(await makeImage(448, 448));
  const smallBody = JSON.stringify({ image: tiny, scale_factor: "2x" });
  const largeBody = JSON.stringify({ image: large, scale_factor: "2x" });
  try {
    rows.push(...(await startupRows(options, log)));
    const ours = (await launch("ours")).target;
    const prism = (await launch("Prism")).target;
    const bare = (await launch("bare")).target;
    const statusPath = await seedFreepikTask(ours, tiny);
    const get = (target: Target, path: string, headers: Record<string, string>) => () => ({
      url: `${target.url}${path}`,
      headers,
    });

    const poll = await interleave(
      "status poll",
      [
        { target: ours, spec: get(ours, statusPath, freepikKey) },
        { target: prism, spec: get(prism, `/v1/ai/image-upscaler/${prismTaskId}`, freepikKey) },
        { target: bare, spec: get(bare, "/v1/ai/image-upscaler/status", freepikKey) },
      ],
      options,
      log,
    );
    const pollScenario = "status poll: freepik GET /v1/ai/image-upscaler/{id}";
    rows.push(
      ...throughputRows(pollScenario, poll, [
        { vs: "Prism", goal: { kind: "ratio-at-least", min: 10 } },
        { vs: "bare", goal: { kind: "ratio-at-least", min: 0.6 } },
      ]),
    );
    rows.push(rssRow("peak RSS during status-poll load", poll, "bare", { kind: "value-below", max: 150 }));
    notes.push(describe("status poll", poll));

    const falScenario = "fal queue status poll: GET …/requests/{id}/status";
    if (!falRegistered) {
      log("server: skipped: fal simulator not registered");
      rows.push({
        scenario: falScenario,
        subject: "ours",
        metric: "2xx req/s",
        value: 0,
        unit: "req/s",
        anchor: "aimock",
        skipped: "fal simulator not registered",
      });
      notes.push(
        "fal queue status poll: skipped: fal simulator not registered (mocks/providers/index.ts has no fal).",
      );
    } else {
      const aimock = (await launch("aimock")).target;
      const oursFal = await seedFalRequest(ours, tiny);
      const aimockFal = await seedFalRequest(aimock, tiny);
      const fal = await interleave(
        "fal status poll",
        [
          { target: ours, spec: get(ours, oursFal, falKey) },
          { target: aimock, spec: get(aimock, aimockFal, aimockFalHeaders) },
          { target: bare, spec: get(bare, "/fal/queue/status", falKey) },
        ],
        options,
        log,
      );
      rows.push(...throughputRows(falScenario, fal, [{ vs: "aimock" }, { vs: "bare" }]));
      notes.push(describe("fal status poll", fal));
      notes.push(
        "aimock serves fal's queue only for requests under /fal/… carrying `x-fal-target-host: queue.fal.run` (its @fal-ai/client proxy convention), from a fixture registered with onFalImage; its jobs advance by poll count (1 → IN_PROGRESS, 2 → COMPLETED). It does not read the input image. Ours: `GET /fal/queue/fal-ai/ideogram/requests/<id>/status` with `Authorization: Key …`.",
      );
      await aimock.process.stop();
    }

    for (const [label, body, goal] of [
      ["small", smallBody, 8],
      ["large", largeBody, 1.5],
    ] as const) {
      const submit = await interleave(
        `${label} submit`,
        [
          { target: ours, spec: submitSpec(ours, body, label) },
          { target: prism, spec: submitSpec(prism, body, label) },
        ],
        options,
        log,
      );
      const scenario =
        label === "small"
          ? `freepik submit, tiny PNG (${Buffer.byteLength(body)} B body)`
          : `freepik submit, ${Math.round(Buffer.byteLength(body) / 1024)} KB body (images lazy)`;
      rows.push(
        ...throughputRows(scenario, submit, [{ vs: "Prism", goal: { kind: "ratio-at-least", min: goal } }]),
      );
      if (label === "large") rows.push(rssRow("peak RSS during large-submit load", submit, "Prism"));
      notes.push(describe(`${label} submit`, submit));
    }
    notes.push(
      `Submits: every request creates a task; ours moves each connection to a fresh \`x-mock-namespace\` every ${namespaceBlock} answers (≤ 9 000 tasks per namespace, under the 10 000 cap) and those namespaces are reset after each run. Only 2xx answers count as throughput.`,
      "The small submit is Freepik's (a 4x4 PNG in base64), chosen over fal's data-URI submit so Prism serves the same operation from specs/freepik.yaml.",
      `Load: autocannon in the bench process, ${options.connections} connections, ${options.seconds} s × ${options.rounds} rounds per server${options.warmupSeconds > 0 ? `, after ${options.warmupSeconds} s unmeasured warm-up each` : ""}. Ours runs \`node bin/upscale-harness.js mock --quiet --latency none --images lazy\`; Prism \`prism mock specs/freepik.yaml --errors -v error\`; bare is bench/bare-server.ts.`,
    );
  } finally {
    await stopAll();
  }
  return { name: "server", title: "Standalone server (issue: standalone server)", rows, notes };
}
