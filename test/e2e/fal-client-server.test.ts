/**
 * The official `@fal-ai/client` against the standalone server, configured the documented way: a
 * `proxyUrl` (the client sends every call there with the real target in `x-fal-target-url`).
 * Nothing is intercepted in-process: this is what a developer's app does with `npm start`.
 */
import { createFalClient } from "@fal-ai/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { dimensionsOf, makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { UpscaleOutput } from "../../src/providers/fal/schemas.ts";

let server: MockServer;
const endpoint = "fal-ai/ideogram/upscale";

beforeAll(async () => {
  // The official client polls every 500 ms: a hold longer than that lets it see every state.
  server = await startMockServer({ port: 0, latency: "none", stateHoldMs: 10_000, providers: ["fal"] });
});
afterAll(async () => {
  await server.close();
});

// In Node the client proxies only when told to (`when: "always"`); in a browser it always does.
const client = () =>
  createFalClient({
    credentials: "key-id:key-secret",
    proxyUrl: { url: `${server.url}/fal/proxy`, when: "always" },
  });
const dataUri = async (w: number, h: number) => `data:image/png;base64,${toBase64(await makeImage(w, h))}`;

async function dimensionsAt(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return dimensionsOf(new Uint8Array(await response.arrayBuffer()));
}

describe("@fal-ai/client through proxyUrl against the server", () => {
  it("subscribe: queue updates to COMPLETED and a real 2x image served by the server", async () => {
    const updates: string[] = [];
    const result = await client().subscribe(endpoint, {
      input: { image_url: await dataUri(20, 10) },
      logs: true,
      pollInterval: 20,
      onQueueUpdate: (update) => updates.push(update.status),
    });
    expect(updates).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    const output = UpscaleOutput.parse(result.data);
    expect(output.images[0]!.url.startsWith(`${server.url}/fal/media/`)).toBe(true);
    expect(await dimensionsAt(output.images[0]!.url)).toEqual({ width: 40, height: 20, format: "png" });
  });

  it("queue.submit, status, result", async () => {
    const fal = client();
    const { request_id } = await fal.queue.submit(endpoint, { input: { image_url: await dataUri(8, 8) } });
    expect(request_id).toMatch(/^[0-9a-f-]{36}$/);
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const status = await fal.queue.status(endpoint, { requestId: request_id, logs: true });
      seen.push(status.status);
      if (status.status === "COMPLETED") break;
    }
    expect(seen).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    const result = await fal.queue.result(endpoint, { requestId: request_id });
    expect(result.requestId).toBe(request_id);
    expect(UpscaleOutput.parse(result.data).images[0]!.width).toBe(16);
  });

  it("queue.cancel of a queued request, then its status says it was cancelled", async () => {
    const fal = client();
    const { request_id } = await fal.queue.submit(endpoint, { input: { image_url: await dataUri(8, 8) } });
    await expect(fal.queue.cancel(endpoint, { requestId: request_id })).resolves.toBeUndefined();
    const status = await fal.queue.status(endpoint, { requestId: request_id });
    expect(status.status).toBe("COMPLETED");
  });

  it("storage.upload lands on the server and works as image_url", async () => {
    const fal = client();
    const url = await fal.storage.upload(new Blob([await makeImage(12, 12)], { type: "image/png" }));
    expect(url.startsWith(`${server.url}/fal/media/`)).toBe(true);
    const result = await fal.run(endpoint, { input: { image_url: url } });
    expect(UpscaleOutput.parse(result.data).images[0]!.width).toBe(24);
  });

  it("the journal shows the calls arrived as fal's, by their real targets", () => {
    const operations = new Set(
      server.simulator
        .namespace()
        .journal.list({ provider: "fal" })
        .map((e) => e.operation),
    );
    for (const op of [
      "submitUpscale",
      "getRequestStatus",
      "getRequestResult",
      "cancelRequest",
      "initiateUpload",
      "runUpscale",
    ]) {
      expect(operations).toContain(op);
    }
  });
});
