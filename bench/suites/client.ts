/**
 * Suite `client` (issue "unified client"): the unified client's `upscale()` against the
 * in-process simulator, versus a hand-written fetch sequence doing the same calls (submit, poll to
 * COMPLETED, download). Goal: the client adds under 10 % of wall time.
 *
 * Both run on the same MSW simulator with `latency: "none"` (each poll shows the next state), so
 * they make the same requests, and both wait before every poll as the client's poll loop does; the
 * waits run on a VirtualClock with autoAdvance, so waiting costs no wall time on either side.
 *
 * A single upscale takes ~5 ms and this machine is noisy, so the sides are timed in blocks of
 * consecutive upscales, alternating which side goes first, and the medians of the block means
 * are compared.
 */
import { setupServer } from "msw/node";
import { createHandlers } from "../../mocks/msw.ts";
import { createSimulator } from "../../mocks/simulator.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { createUpscaler } from "../../src/client.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import type { SuiteResult } from "../lib/report.ts";
import { median, timeMs } from "../lib/stats.ts";

export interface ClientOptions {
  /** Timed blocks per side (after warm-up), alternating. */
  blocks: number;
  /** Upscales per block. */
  perBlock: number;
  /** Untimed upscales per side first. */
  warmup: number;
}

const api = "https://api.freepik.com/v1/ai/image-upscaler";
const headers = { "x-freepik-api-key": "bench", "content-type": "application/json" };

/** What an app would write by hand: submit, wait and poll until done, download the result. */
async function byHand(image: Uint8Array, clock: VirtualClock): Promise<number> {
  const submitted = (await (
    await fetch(api, {
      method: "POST",
      headers,
      body: JSON.stringify({ image: toBase64(image), scale_factor: "2x" }),
    })
  ).json()) as { data: { task_id: string } };
  for (;;) {
    await clock.sleep(1_000);
    const polled = (await (await fetch(`${api}/${submitted.data.task_id}`, { headers })).json()) as {
      data: { status: string; generated: string[] };
    };
    if (polled.data.status === "COMPLETED") {
      const file = await fetch(polled.data.generated[0]!);
      return (await file.arrayBuffer()).byteLength;
    }
    if (polled.data.status === "FAILED") throw new Error("Failed to upscale by hand: the task failed.");
  }
}

export async function runClientSuite(
  options: ClientOptions,
  log: (line: string) => void,
): Promise<SuiteResult> {
  const clock = new VirtualClock({ autoAdvance: true });
  const simulator = createSimulator({ clock, latency: "none", images: "eager", providers: ["freepik"] });
  const server = setupServer(...createHandlers({ simulator }));
  server.listen({ onUnhandledRequest: "error" });
  try {
    const upscaler = createUpscaler({ provider: "freepik", apiKeys: { freepik: "bench" }, clock });
    const viaClient = async (image: Uint8Array) => {
      const result = await upscaler.upscale(image, { scale: 2 });
      return (await result.download()).byteLength;
    };
    const image = await makeImage(256, 256);
    // Warm both paths before timing: module loading, sharp, the result cache, and enough calls
    // for the JIT to have optimized each side's functions.
    for (let i = 0; i < options.warmup; i++) {
      await byHand(image, clock);
      await viaClient(image);
    }
    const block = async (run: (image: Uint8Array) => Promise<number>) => {
      simulator.reset();
      const ms = await timeMs(async () => {
        for (let i = 0; i < options.perBlock; i++) await run(image);
      });
      return ms / options.perBlock;
    };
    const hand: number[] = [];
    const client: number[] = [];
    for (let i = 0; i < options.blocks; i++) {
      if (i % 2 === 0) {
        hand.push(await block((img) => byHand(img, clock)));
        client.push(await block(viaClient));
      } else {
        client.push(await block(viaClient));
        hand.push(await block((img) => byHand(img, clock)));
      }
    }
    const handMs = median(hand);
    const clientMs = median(client);
    const overhead = clientMs / handMs - 1;
    log(
      `client: hand-written ${handMs.toFixed(2)} ms, unified client ${clientMs.toFixed(2)} ms (${(overhead * 100).toFixed(1)} % overhead)`,
    );
    return {
      name: "client",
      title: "Unified client overhead (in-process simulator, freepik 2x, submit → poll → download)",
      rows: [
        {
          scenario: "upscale()",
          subject: "hand-written fetch sequence",
          metric: "median wall",
          value: handMs,
          unit: "ms",
        },
        {
          scenario: "upscale()",
          subject: "unified client",
          metric: "median wall",
          value: clientMs,
          unit: "ms",
          anchor: "hand-written",
          ratio: clientMs / handMs,
          goal: { kind: "value-below", max: 1.1 * handMs },
        },
      ],
      notes: [
        `${options.blocks} timed blocks of ${options.perBlock} upscales per side, alternating, after ${options.warmup} untimed ones; medians of the block means. Both make the same requests and waits (latency none).`,
        `Overhead: ${(overhead * 100).toFixed(1)} % of wall time (goal < 10 %).`,
      ],
    };
  } finally {
    server.close();
  }
}
