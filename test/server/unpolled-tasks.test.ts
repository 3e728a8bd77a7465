/**
 * Tasks advance on their own: under `--latency none` (real clock, as the CLI runs it) a task
 * nobody polls still ends and its webhook leaves; a poller faster than the hold still sees every
 * state. Under realistic latency the webhook leaves when the clock reaches the end, unpolled.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

let receiver: Receiver;
let none: MockServer;
const freepikKey = { "x-freepik-api-key": "k", "content-type": "application/json" };
const falKey = { authorization: "Key id:secret", "content-type": "application/json" };

beforeAll(async () => {
  receiver = await startReceiver();
  none = await startMockServer({ port: 0, latency: "none" });
});
afterAll(async () => {
  await none.close();
  await receiver.close();
});

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
}

const statusesAt = (path: string) =>
  receiver.received
    .filter((r) => r.path === path)
    .map((r) => (JSON.parse(r.body) as { status: string }).status);

describe("latency none: tasks end without polls", () => {
  it("freepik: the webhook of a task nobody polls arrives", async () => {
    const image = toBase64(await makeImage(16, 16));
    const response = await fetch(`${none.urls["freepik.api"]}/v1/ai/image-upscaler`, {
      method: "POST",
      headers: freepikKey,
      body: JSON.stringify({ image, webhook_url: `${receiver.url}/freepik-unpolled` }),
    });
    expect(((await response.json()) as { data: { status: string } }).data.status).toBe("IN_PROGRESS");
    await waitFor(() => statusesAt("/freepik-unpolled").length > 0);
    expect(statusesAt("/freepik-unpolled")).toEqual(["COMPLETED"]);
  });

  it("fal: the webhook of a queued request nobody polls arrives", async () => {
    const response = await fetch(
      `${none.urls["fal.queue"]}/fal-ai/ideogram/upscale?fal_webhook=${encodeURIComponent(`${receiver.url}/fal-unpolled`)}`,
      {
        method: "POST",
        headers: falKey,
        body: JSON.stringify({ image_url: `data:image/png;base64,${toBase64(await makeImage(16, 16))}` }),
      },
    );
    expect(response.status).toBe(200);
    await waitFor(() => statusesAt("/fal-unpolled").length > 0);
    expect(statusesAt("/fal-unpolled")).toEqual(["OK"]);
  });

  it("a poller faster than the hold sees every state", async () => {
    // A hold longer than an HTTP round trip on a loaded machine: the poller is the faster one.
    const slowHold = await startMockServer({ port: 0, latency: "none", stateHoldMs: 1_000 });
    try {
      const image = toBase64(await makeImage(16, 16));
      const submitted = await fetch(`${slowHold.urls["fal.queue"]}/fal-ai/ideogram/upscale`, {
        method: "POST",
        headers: falKey,
        body: JSON.stringify({ image_url: `data:image/png;base64,${image}` }),
      });
      const { status_url } = (await submitted.json()) as { status_url: string };
      const seen: string[] = [];
      for (let i = 0; i < 10 && seen.at(-1) !== "COMPLETED"; i++) {
        const answer = await fetch(status_url, { headers: falKey });
        const { status } = (await answer.json()) as { status: string };
        if (seen.at(-1) !== status) seen.push(status);
      }
      expect(seen).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    } finally {
      await slowHold.close();
    }
  });
});

describe("realistic latency: webhooks leave when the clock reaches the end", () => {
  it("freepik, never polled, on a virtual clock", async () => {
    const clock = new VirtualClock({ start: Date.UTC(2026, 5, 1) });
    const server = await startMockServer({ port: 0, clock });
    try {
      const image = toBase64(await makeImage(16, 16));
      await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
        method: "POST",
        headers: freepikKey,
        body: JSON.stringify({ image, webhook_url: `${receiver.url}/freepik-realistic` }),
      });
      await clock.advance(5_000);
      expect(statusesAt("/freepik-realistic")).toEqual([]);
      await clock.advance(10 * 60 * 1000);
      await waitFor(() => statusesAt("/freepik-realistic").length > 0);
      expect(statusesAt("/freepik-realistic")).toEqual(["COMPLETED"]);
    } finally {
      await server.close();
    }
  });
});
