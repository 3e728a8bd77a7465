/**
 * MSW trickles a slow body the way the server does: JSON answers too, as their bytes, in chunks
 * paced on the namespace's clock.
 */
import { setupServer } from "msw/node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createHandlers } from "../../mocks/msw.ts";
import { createSimulator } from "../../mocks/simulator.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";

const clock = new VirtualClock({ autoAdvance: true });
const simulator = createSimulator({
  clock,
  latency: "none",
  providers: ["freepik"],
  scenarios: { freepik: [{ phases: ["status"], fault: { kind: "slow-body", bytesPerSecond: 200 } }] },
});
const server = setupServer(...createHandlers({ simulator }));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

it("trickles a JSON status answer in paced chunks", async () => {
  const api = "https://api.freepik.com/v1/ai/image-upscaler";
  const headers = { "x-freepik-api-key": "k", "content-type": "application/json" };
  const submitted = (await (
    await fetch(api, {
      method: "POST",
      headers,
      body: JSON.stringify({ image: toBase64(await makeImage(16, 16)) }),
    })
  ).json()) as { data: { task_id: string } };
  const started = clock.now();
  const response = await fetch(`${api}/${submitted.data.task_id}`, { headers });
  const reader = response.body!.getReader();
  const chunks: Uint8Array[] = [];
  for (let next = await reader.read(); !next.done; next = await reader.read()) chunks.push(next.value);
  const text = Buffer.concat(chunks).toString("utf8");
  expect(JSON.parse(text)).toMatchObject({ data: { task_id: submitted.data.task_id } });
  // 200 B/s in 20-byte chunks every 100 ms.
  expect(chunks.length).toBe(Math.ceil(text.length / 20));
  expect(clock.now() - started).toBeGreaterThanOrEqual(100 * chunks.length);
});
