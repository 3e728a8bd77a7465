/**
 * Webhook verification against real deliveries: the simulators sign them (Freepik with the
 * harness secret, fal with Ed25519 keys published as a JWKS) and POST them to a local receiver;
 * verifyWebhook accepts them as received and refuses tampered bodies, stale and future
 * timestamps, replays and wrong keys. parseWebhook gives the shape status() gives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEd25519Signer } from "../../mocks/engine/webhook-signing.ts";
import { freepikSignature } from "../../mocks/providers/freepik/signature.ts";
import { makeImage } from "../../scripts/lib/images.ts";
import {
  createUpscaler,
  MemoryReplayStore,
  parseWebhook,
  verifyWebhook,
  type WebhookFailure,
  WebhookVerificationError,
} from "../../src/index.ts";
import { useSimulators } from "../helpers/harness.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

const secret = "test-secret";
const h = useSimulators({ webhookSecret: secret });
const apiKeys = { fal: "fal-id:fal-secret", freepik: "fp-key" };

interface Delivery {
  headers: Record<string, string>;
  body: string;
}

let receiver: Receiver;
let hookUrl = "";
let received: Delivery[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  received = receiver.received;
  hookUrl = `${receiver.url}/hook`;
});
afterAll(() => receiver.close());

async function deliveries(count: number): Promise<Delivery[]> {
  for (let i = 0; i < 200 && received.length < count; i++) await new Promise((r) => setTimeout(r, 10));
  expect(received.length).toBeGreaterThanOrEqual(count);
  return received.splice(0);
}

async function refused(promise: Promise<unknown>, reason: WebhookFailure): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  expect(error).toMatchObject({ reason });
  expect((error as Error).message).toMatch(/^Failed to verify the (freepik|fal) webhook: .+\. .+/);
}

describe("freepik webhooks (HMAC-SHA256)", () => {
  it("verifies every delivery of a real job and parses it like status()", async () => {
    received.length = 0;
    const upscaler = createUpscaler({ provider: "freepik", apiKeys, clock: h.clock });
    const result = await upscaler.upscale(await makeImage(16, 16), { webhookUrl: hookUrl });
    // Submit answers IN_PROGRESS, so the one change a webhook announces is the end.
    const got = await deliveries(1);
    const states = [];
    for (const delivery of got) {
      const verified = await verifyWebhook("freepik", {
        headers: delivery.headers,
        rawBody: delivery.body,
        secret,
        now: h.clock,
      });
      expect(verified.status).toEqual(parseWebhook("freepik", delivery.body));
      expect(verified.status.id).toBe(result.taskId);
      states.push(verified.status.state);
    }
    expect(states).toEqual(["succeeded"]);
    expect(parseWebhook("freepik", got[0]!.body).outputUrls).toEqual([result.images[0]!.url]);
  });

  const timestamp = () => Math.floor(h.clock.now() / 1000);
  const body = JSON.stringify({
    task_id: "00000000-0000-4000-8000-000000000001",
    status: "COMPLETED",
    generated: [],
  });
  const signed = (ts = timestamp(), id = "msg_1", payload = body, key = secret) => ({
    "webhook-id": id,
    "webhook-timestamp": String(ts),
    "webhook-signature": freepikSignature(key, id, ts, payload),
  });

  it("accepts one good entry among several (secret rotation)", async () => {
    const headers = signed();
    headers["webhook-signature"] =
      `v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${headers["webhook-signature"]}`;
    const verified = await verifyWebhook("freepik", { headers, rawBody: body, secret, now: h.clock });
    expect(verified.status).toMatchObject({ state: "succeeded", providerState: "COMPLETED" });
  });

  it("refuses a tampered body", () =>
    refused(
      verifyWebhook("freepik", {
        headers: signed(),
        rawBody: body.replace("COMPLETED", "FAILED"),
        secret,
        now: h.clock,
      }),
      "bad-signature",
    ));

  it("refuses the wrong secret", () =>
    refused(
      verifyWebhook("freepik", { headers: signed(), rawBody: body, secret: "other", now: h.clock }),
      "bad-signature",
    ));

  it("refuses a stale timestamp and one from the future", async () => {
    await refused(
      verifyWebhook("freepik", { headers: signed(timestamp() - 600), rawBody: body, secret, now: h.clock }),
      "stale",
    );
    await refused(
      verifyWebhook("freepik", { headers: signed(timestamp() + 600), rawBody: body, secret, now: h.clock }),
      "future",
    );
    // Within a custom tolerance it passes.
    await verifyWebhook("freepik", {
      headers: signed(timestamp() - 600),
      rawBody: body,
      secret,
      now: h.clock,
      toleranceSeconds: 900,
    });
  });

  it("refuses a replay of the same delivery id when a store is given", async () => {
    const replayStore = new MemoryReplayStore();
    const headers = signed(timestamp(), "msg_replay");
    await verifyWebhook("freepik", { headers, rawBody: body, secret, now: h.clock, replayStore });
    await refused(
      verifyWebhook("freepik", { headers, rawBody: body, secret, now: h.clock, replayStore }),
      "replay",
    );
  });

  it("refuses missing headers", () =>
    refused(
      verifyWebhook("freepik", { headers: {}, rawBody: body, secret, now: h.clock }),
      "missing-header",
    ));
});

describe("fal webhooks (Ed25519 + JWKS)", () => {
  it("verifies a real delivery with the simulator's JWKS, and refuses it when tampered, stale, replayed or checked against another key", async () => {
    received.length = 0;
    const upscaler = createUpscaler({ provider: "fal", apiKeys, clock: h.clock });
    const result = await upscaler.upscale(await makeImage(16, 16), { webhookUrl: hookUrl });
    const [delivery] = await deliveries(1);
    const jwks = h.simulator.services.signer.jwks;
    const replayStore = new MemoryReplayStore();
    const options = { headers: delivery!.headers, rawBody: delivery!.body, jwks, now: h.clock, replayStore };

    const verified = await verifyWebhook("fal", options);
    expect(verified.id).toBe(result.taskId);
    expect(verified.status).toMatchObject({ provider: "fal", id: result.taskId, state: "succeeded" });
    expect(verified.status).toEqual(parseWebhook("fal", delivery!.body));

    await refused(verifyWebhook("fal", options), "replay");
    await refused(
      verifyWebhook("fal", {
        ...options,
        replayStore: undefined,
        rawBody: delivery!.body.replace('"OK"', '"ERROR"'),
      }),
      "bad-signature",
    );
    await refused(
      verifyWebhook("fal", { ...options, replayStore: undefined, jwks: createEd25519Signer("other").jwks }),
      "bad-signature",
    );
    await refused(
      verifyWebhook("fal", { ...options, replayStore: undefined, now: h.clock.now() + 3_600_000 }),
      "stale",
    );
    await refused(
      verifyWebhook("fal", { ...options, replayStore: undefined, now: h.clock.now() - 3_600_000 }),
      "future",
    );
  });

  it("a failed run's webhook parses as failed with fal's error type", async () => {
    received.length = 0;
    h.simulator.setScenario("default", "fal", "task-failure");
    const upscaler = createUpscaler({ provider: "fal", apiKeys, clock: h.clock });
    await expect(upscaler.upscale(await makeImage(16, 16), { webhookUrl: hookUrl })).rejects.toThrow();
    const [delivery] = await deliveries(1);
    const verified = await verifyWebhook("fal", {
      headers: delivery!.headers,
      rawBody: delivery!.body,
      jwks: h.simulator.services.signer.jwks,
      now: h.clock,
    });
    expect(verified.status).toMatchObject({ state: "failed", error: { type: "content_policy_violation" } });
  });
});
