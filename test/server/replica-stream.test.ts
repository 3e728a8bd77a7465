/**
 * fal's status stream follows its request as the shared store holds it: a stuck request is
 * submitted through one replica, its stream opened on a second, and its state forced through
 * the third's admin API; the stream (on the second) tells of the new state and ends.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { namespaceHeader } from "../../mocks/provider-hosts.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { type ReplicaFleet, startReplicaFleet } from "../helpers/replica-fleet.ts";

let fleet: ReplicaFleet;

beforeAll(async () => {
  fleet = await startReplicaFleet(["--latency", "none"]);
}, 90_000);

afterAll(async () => {
  await fleet?.stop();
});

it("shows a state forced through another replica and ends", async () => {
  const [first, second, third] = fleet.replicas;
  const namespace = `stream-${randomUUID()}`;
  const headers = { authorization: "Key fal-test", [namespaceHeader]: namespace };
  const submitted = await fetch(fleet.on(first!, `${fleet.urls["fal.queue"]}/fal-ai/ideogram/upscale`), {
    method: "POST",
    headers: { ...headers, "content-type": "application/json", "x-mock-scenario": "stuck" },
    body: JSON.stringify({ image_url: `data:image/png;base64,${toBase64(await makeImage(8, 8))}` }),
  });
  expect(submitted.status).toBe(200);
  const { request_id: id, status_url: statusUrl } = (await submitted.json()) as {
    request_id: string;
    status_url: string;
  };
  const stream = await fetch(fleet.on(second!, `${statusUrl}/stream`), {
    headers: { ...headers, accept: "text/event-stream" },
    signal: AbortSignal.timeout(20_000),
  });
  expect(stream.status).toBe(200);
  const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = (await reader.read()).value ?? "";
  expect(text).toContain('"status":"IN_QUEUE"');
  const forced = await fetch(`${third!.url}/__admin/tasks/${id}/state`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ namespace, state: "COMPLETED" }),
  });
  expect(forced.status).toBe(200);
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  expect(text).toContain('"status":"COMPLETED"');
}, 30_000);
