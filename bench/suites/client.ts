/**
 * Suite `client` (issue "unified client"): the unified client's `upscale()` against the
 * in-process simulator, versus a hand-written fetch sequence doing the same calls (submit, poll to
 * COMPLETED, download). Goal: the client adds under 10 % of wall time.
 *
 * Both run on the same MSW simulator with `latency: "none"` (each poll shows the next state), so
 * they make the same number of requests; the client's poll waits run on a VirtualClock with
 * autoAdvance, so waiting costs no wall time on either side.
 */
import { setupServer } from "msw/node";
import { createHandlers } from "../../mocks/msw.ts";
import { createSimulator } from "../../mocks/simulator.ts";
import { createUpscaler } from "../../src/client.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { makeImage, toBase64 } from "../../test/helpers/images.ts";
import type { SuiteResult } from "../lib/report.ts";
import { median, timeMs } from "../lib/stats.ts";

export interface ClientOptions {
  /** Timed upscales per side (after warm-up), interleaved. */
  runs: number;
}

const api = "https://api.freepik.com/v1/ai/image-upscaler";
const headers = { "x-freepik-api-key": "bench", "content-type": "application/json" };

/** What an app would write by hand: submit, poll until done, download the result. */
async function byHand(image: Uint8Array, clock: VirtualClock): Promise<number> {
  const submitted = (await (
    await fetch(api, {
      method: "POST",
      headers,
      body: JSON.stringify({ image: toBase64(image), scale_factor: "2x" }),
    })
  ).json()) as { data: { task_id: string } };
  for (;;) {
    const polled = (await (await fetch(`${api}/${submitted.data.task_id}`, { headers })).json()) as {
      data: { status: string; generated: string[] };
    };
    if (polled.data.status === "COMPLETED") {
      const file = await fetch(polled.data.generated[0]!);
      return (await file.arrayBuffer()).byteLength;
    }
    if (polled.data.status === "FAILED") throw new Error("Failed to upscale by hand: the task failed.");
    await clock.sleep(1_000);
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
    // Warm both paths (module loading, sharp, the result cache) before timing.
    for (let i = 0; i < 3; i++) {
      await byHand(image, clock);
      await viaClient(image);
    }
    const hand: number[] = [];
    const client: number[] = [];
    for (let i = 0; i < options.runs; i++) {
      hand.push(await timeMs(() => byHand(image, clock)));
      client.push(await timeMs(() => viaClient(image)));
      simulator.reset();
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
        `${options.runs} timed runs per side, interleaved, after 3 warm-ups; both make the same requests (latency none).`,
        `Overhead: ${(overhead * 100).toFixed(1)} % of wall time (goal < 10 %).`,
      ],
    };
  } finally {
    server.close();
  }
}
