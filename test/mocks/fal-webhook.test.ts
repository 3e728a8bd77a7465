import { createHash, createPublicKey, type KeyObject, verify } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { isLoopbackUrl } from "../../mocks/engine/webhooks.ts";
import { fal } from "../../mocks/providers/fal/definition.ts";
import { webhookBackoffMs } from "../../mocks/providers/fal/webhook.ts";
import { dimensionsOf, makeImage, toBase64 } from "../../scripts/lib/images.ts";
import {
  QueueSubmitResponse,
  WebhookErrorPayload,
  WebhookOkPayload,
} from "../../src/providers/fal/schemas.ts";
import { useSimulators } from "../helpers/harness.ts";
import { type ReceivedRequest, type Receiver, startReceiver } from "../helpers/receiver.ts";

// Remote image URLs are refused, so a run can fail with fal's download error.
const h = useSimulators({ definitions: [fal], allowWebhookUrl: isLoopbackUrl, remoteImages: "refuse" });
const key = { authorization: "Key webhook-key-id:webhook-key-secret" };
const submitUrl = "https://queue.fal.run/fal-ai/ideogram/upscale";

let receiver: Receiver;
let hook = "";
let received: ReceivedRequest[] = [];
/** What the receiver answers to the n-th delivery (0-based); 200 by default. */
let answerFor: (n: number) => number = () => 200;

beforeAll(async () => {
  receiver = await startReceiver({ answer: (n) => answerFor(n) });
  received = receiver.received;
  hook = `${receiver.url}/fal-hook`;
});
afterAll(() => receiver.close());
beforeEach(() => {
  received.length = 0;
  answerFor = () => 200;
});

async function submit(webhookUrl: string, headers: Record<string, string> = {}, imageUrl?: string) {
  const response = await fetch(`${submitUrl}?fal_webhook=${encodeURIComponent(webhookUrl)}`, {
    method: "POST",
    headers: { ...key, "content-type": "application/json", ...headers },
    body: JSON.stringify({
      image_url: imageUrl ?? `data:image/png;base64,${toBase64(await makeImage(10, 8))}`,
    }),
  });
  expect(response.status).toBe(200);
  return QueueSubmitResponse.parse(await response.json());
}

/** Lets virtual time run (in steps) and real I/O happen until `done` holds. */
async function waitFor(done: () => boolean, stepMs = 1_000, maxSteps = 5_000) {
  for (let i = 0; i < maxSteps && !done(); i++) {
    await h.clock.sleep(stepMs);
    await new Promise((r) => setTimeout(r, 1));
  }
  expect(done()).toBe(true);
}

const deliveries = (taskId: string) => h.simulator.namespace().webhooks.list({ taskId });

async function falPublicKey(): Promise<KeyObject> {
  const response = await fetch("https://rest.fal.ai/.well-known/jwks.json");
  const { keys } = (await response.json()) as { keys: Array<Record<string, string>> };
  return createPublicKey({ key: keys[0]!, format: "jwk" });
}

function verifies(publicKey: KeyObject, { headers, body }: ReceivedRequest): boolean {
  const message = [
    headers["x-fal-webhook-request-id"],
    headers["x-fal-webhook-user-id"],
    headers["x-fal-webhook-timestamp"],
    createHash("sha256").update(body).digest("hex"),
  ].join("\n");
  const signature = Buffer.from(String(headers["x-fal-webhook-signature"]), "hex");
  return verify(null, Buffer.from(message), publicKey, signature);
}

describe("fal webhooks", () => {
  it("delivers the output, signed with Ed25519, verifiable against the published JWKS", async () => {
    const submittedAt = h.clock.now();
    const ticket = await submit(hook);
    await waitFor(() => received.length >= 1);
    const [delivery] = received;
    const payload = WebhookOkPayload.parse(JSON.parse(delivery!.body));
    expect(payload).toMatchObject({
      request_id: ticket.request_id,
      gateway_request_id: ticket.request_id,
      status: "OK",
    });
    expect(delivery!.headers["content-type"]).toBe("application/json");
    expect(delivery!.headers["x-fal-webhook-request-id"]).toBe(ticket.request_id);
    expect(delivery!.headers["x-fal-webhook-user-id"]).toMatch(/^user_[0-9a-f]{16}$/);
    expect(String(delivery!.headers["x-fal-webhook-user-id"])).not.toContain("webhook-key");
    // Unix seconds of the attempt: after the run (≥ 5 s of provider time), not in the future.
    const timestamp = Number(delivery!.headers["x-fal-webhook-timestamp"]) * 1000;
    expect(timestamp).toBeGreaterThanOrEqual(Math.floor((submittedAt + 5_000) / 1000) * 1000);
    expect(timestamp).toBeLessThanOrEqual(h.clock.now());
    expect(delivery!.headers["x-fal-webhook-signature"]).toMatch(/^[0-9a-f]{128}$/);

    const publicKey = await falPublicKey();
    expect(verifies(publicKey, delivery!)).toBe(true);
    // Re-serialising the body breaks the signature: receivers must hash the raw bytes.
    const reserialised = JSON.stringify(JSON.parse(delivery!.body), null, 2);
    expect(verifies(publicKey, { ...delivery!, body: reserialised })).toBe(false);

    const file = await fetch(payload.payload.images[0]!.url);
    expect(await dimensionsOf(new Uint8Array(await file.arrayBuffer()))).toEqual({
      width: 20,
      height: 16,
      format: "png",
    });
    await waitFor(() => deliveries(ticket.request_id)[0]?.state === "delivered");
  });

  it("a failed run delivers status ERROR with the 422 body as payload", async () => {
    const ticket = await submit(hook, { "x-mock-scenario": "task-failure" });
    await waitFor(() => received.length >= 1);
    const payload = WebhookErrorPayload.parse(JSON.parse(received[0]!.body));
    expect(payload).toMatchObject({
      request_id: ticket.request_id,
      status: "ERROR",
      error: "Invalid status code: 422",
    });
    expect(payload.payload).toMatchObject({ detail: [{ type: "content_policy_violation" }] });
    expect(verifies(await falPublicKey(), received[0]!)).toBe(true);
  });

  it("an unreachable image_url is reported as ERROR file_download_error", async () => {
    await submit(hook, {}, "https://example.com/nowhere.png");
    await waitFor(() => received.length >= 1);
    const payload = WebhookErrorPayload.parse(JSON.parse(received[0]!.body));
    expect(payload.payload).toMatchObject({ detail: [{ type: "file_download_error" }] });
  });

  it("retries with growing waits until the receiver answers 2xx, re-signing each attempt", async () => {
    answerFor = (n) => (n < 2 ? 500 : 200);
    const ticket = await submit(hook);
    await waitFor(() => deliveries(ticket.request_id)[0]?.state === "delivered");
    const [delivery] = deliveries(ticket.request_id);
    expect(delivery!.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    const gaps = delivery!.attempts.slice(1).map((a, i) => a.at - delivery!.attempts[i]!.at);
    expect(gaps[0]).toBeGreaterThanOrEqual(15_000);
    expect(gaps[1]).toBeGreaterThanOrEqual(30_000);
    const publicKey = await falPublicKey();
    expect(received.every((r) => verifies(publicKey, r))).toBe(true);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    expect(new Set(received.map((r) => r.headers["x-fal-webhook-timestamp"])).size).toBe(3);
  });

  // On a shared store a retry is taken from the due queue, which looks at a virtual clock every
  // 0.2 s of wall time (docs/deployment.md); this file's clock advances by itself far faster.
  it.skipIf(inject("testRedisUrl") !== undefined)(
    "gives up after 10 attempts spread over about two hours",
    async () => {
      expect(webhookBackoffMs).toHaveLength(9);
      const total = webhookBackoffMs.reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(1.9 * 3_600_000);
      expect(total).toBeLessThan(2.2 * 3_600_000);

      answerFor = () => 503;
      const ticket = await submit(hook);
      await waitFor(() => deliveries(ticket.request_id)[0]?.state === "gave-up", 60_000);
      const { attempts } = deliveries(ticket.request_id)[0]!;
      expect(attempts).toHaveLength(10);
      const span = attempts.at(-1)!.at - attempts[0]!.at;
      expect(span).toBeGreaterThanOrEqual(total);
      expect(span).toBeLessThan(total + 10 * 60_000);
    },
  );

  it("a cancelled run sends no webhook", async () => {
    const ticket = await submit(hook);
    expect((await fetch(ticket.cancel_url, { method: "PUT", headers: key })).status).toBe(202);
    await h.clock.advance(60_000);
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toHaveLength(0);
    expect(deliveries(ticket.request_id)).toHaveLength(0);
  });

  it("webhook-chaos drops and duplicates deliveries; duplicates carry the same request_id", async () => {
    h.simulator.setScenario("default", "fal", "webhook-chaos");
    const ids: string[] = [];
    // Each delivery is duplicated with chance 0.8 × 0.3; when tasks finish in wall-clock order
    // the seeded draws vary between runs, so 30 tasks keep "no duplicate at all" below 1 in 3,000.
    for (let i = 0; i < 30; i++) ids.push((await submit(hook)).request_id);
    const all = () => ids.flatMap((id) => deliveries(id));
    await waitFor(() => all().length === ids.length && all().every((d) => d.state !== "pending"));
    const states = all().map((d) => d.state);
    expect(states.every((s) => s === "delivered" || s === "dropped")).toBe(true);
    const copies = all().reduce((sum, d) => sum + (d.state === "delivered" ? 1 + d.duplicates : 0), 0);
    expect(received).toHaveLength(copies);
    expect(all().some((d) => d.duplicates > 0)).toBe(true);
    const byId = new Map<string, number>();
    for (const r of received) {
      const id = String(r.headers["x-fal-webhook-request-id"]);
      byId.set(id, (byId.get(id) ?? 0) + 1);
    }
    expect([...byId.values()].some((n) => n === 2)).toBe(true);
  });

  it("never contacts a target outside loopback; the delivery is recorded as refused", async () => {
    const ticket = await submit("https://receiver.invalid/hook");
    await waitFor(() => deliveries(ticket.request_id).length > 0, 5_000);
    expect(deliveries(ticket.request_id).map((d) => [d.state, d.attempts.length])).toEqual([["refused", 0]]);
  });
});
