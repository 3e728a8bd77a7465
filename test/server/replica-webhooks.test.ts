/**
 * A webhook's retry survives the replica that sent its first attempt: two server processes on
 * one redis-server (started here on a free loopback port), the first attempt answered 500, the
 * replica that made it killed with SIGKILL before its retry; the other replica sends the retry,
 * signed with the secret they share, and lists the delivery with both attempts.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freepikSignature } from "../../mocks/providers/freepik/signature.ts";
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

let redis: TestRedis;
let receiver: Receiver;
const replicas: Serving[] = [];

const startReplica = async () => {
  const replica = await startCli(["mock", "--port", "0", "--latency", "none", "--quiet"], {
    UPSCALE_HARNESS_STORE: redis.url,
  });
  replicas.push(replica);
  return replica;
};

beforeAll(async () => {
  redis = await startRedis();
  // The first attempt fails; every later one succeeds.
  receiver = await startReceiver({ answer: (n) => (n === 0 ? 500 : 200) });
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()));
  await receiver?.close();
  await redis?.stop();
});

interface Delivery {
  taskId: string;
  state: string;
  attempts: Array<{ status?: number; replica?: string }>;
}

async function deliveries(replica: Serving): Promise<Delivery[]> {
  const answer = await fetch(`${replica.url}/__admin/webhooks?namespace=default`);
  return ((await answer.json()) as { deliveries: Delivery[] }).deliveries;
}

async function createTask(replica: Serving): Promise<string> {
  const server = (await (await fetch(`${replica.url}/__admin/server`)).json()) as {
    urls: Record<string, string>;
  };
  const created = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { "x-freepik-api-key": "fpk-test", "content-type": "application/json" },
    body: JSON.stringify({ image: toBase64(await makeImage(12, 10)), webhook_url: `${receiver.url}/hook` }),
  });
  expect(created.status).toBe(200);
  return ((await created.json()) as { data: { task_id: string } }).data.task_id;
}

it("sends a webhook's retry from another replica when the sender of the first attempt is killed", async () => {
  // Alone, the first replica takes the task's transition and makes the first attempt.
  const first = await startReplica();
  const taskId = await createTask(first);
  await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
  // Once the attempt is recorded, its retry is queued: Freepik's first wait, 5 s.
  await expect.poll(async () => (await deliveries(first))[0]?.attempts.length).toBe(1);
  const second = await startReplica();
  first.child.kill("SIGKILL");
  await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(2);
  // The receiver has the retry; its record is written once the answer is back.
  await expect.poll(async () => (await deliveries(second))[0]?.state, { timeout: 5_000 }).not.toBe("pending");

  const [delivery, ...others] = await deliveries(second);
  expect(others).toEqual([]);
  expect(delivery).toMatchObject({ taskId, state: "delivered" });
  expect(delivery!.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
  const [made, retried] = delivery!.attempts.map((attempt) => attempt.replica);
  expect(retried).not.toBe(made);

  // Both carry one message id, each signed at its own time with the secret the replicas share.
  const store = new Redis(redis.url);
  const secret = await store.hget("uh:ns:{%00harness}:secrets", "webhookSecret");
  store.disconnect();
  expect(receiver.received).toHaveLength(2);
  const ids = new Set(receiver.received.map((request) => request.headers["webhook-id"]));
  expect(ids.size).toBe(1);
  for (const { headers, body } of receiver.received) {
    expect(JSON.parse(body)).toMatchObject({ task_id: taskId, status: "COMPLETED" });
    const timestamp = Number(headers["webhook-timestamp"]);
    expect(headers["webhook-signature"]).toBe(
      freepikSignature(secret!, headers["webhook-id"]!, timestamp, body),
    );
  }
}, 40_000);
