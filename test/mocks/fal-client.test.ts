/**
 * fal's own JS client (`@fal-ai/client`) against the simulator: the exact URLs, headers and
 * response handling it expects. Latency "none" (each status read moves a run one state on), since
 * the client polls on real timers.
 */
import { ApiError, createFalClient, ValidationError } from "@fal-ai/client";
import { describe, expect, it } from "vitest";
import { fal } from "../../mocks/providers/fal/definition.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { UpscaleOutput } from "../../src/providers/fal/schemas.ts";
import { useSimulators } from "../helpers/harness.ts";

// Remote image URLs are refused, so the client meets fal's download error.
const h = useSimulators({ definitions: [fal], latency: "none", remoteImages: "refuse" });
const client = () =>
  createFalClient({ credentials: "client-key-id:client-key-secret", fetch: (...a) => fetch(...a) });
const endpoint = "fal-ai/ideogram/upscale";

async function dimensionsAt(url: string) {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return dimensionsOf(new Uint8Array(await response.arrayBuffer()));
}

describe("@fal-ai/client against the fal simulator", () => {
  it("storage.upload, then subscribe (polling, logs) returns the 2x output and the request id", async () => {
    const falClient = client();
    const url = await falClient.storage.upload(new Blob([await makeImage(16, 12)], { type: "image/png" }));
    expect(url).toMatch(/^https:\/\/v3\.fal\.media\/files\//);
    const updates: string[] = [];
    const result = await falClient.subscribe(endpoint, {
      input: { image_url: url },
      logs: true,
      pollInterval: 50,
      onQueueUpdate: (update) => updates.push(update.status),
    });
    expect(updates).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const output = UpscaleOutput.parse(result.data);
    expect(await dimensionsAt(output.images[0]!.url)).toEqual({ width: 32, height: 24, format: "png" });
  });

  it("subscribe in streaming mode reads the SSE status stream to COMPLETED", async () => {
    const falClient = client();
    const updates: string[] = [];
    const result = await falClient.subscribe(endpoint, {
      input: { image_url: `data:image/png;base64,${Buffer.from(await makeImage(8, 8)).toString("base64")}` },
      mode: "streaming",
      onQueueUpdate: (update) => updates.push(update.status),
    });
    expect(updates.at(-1)).toBe("COMPLETED");
    expect(updates).toContain("IN_PROGRESS");
    expect(UpscaleOutput.parse(result.data).images[0]).toMatchObject({ width: 16, height: 16 });
  });

  it("run (fal.run) returns the output", async () => {
    const result = await client().run(endpoint, {
      input: {
        image_url: `data:image/jpeg;base64,${Buffer.from(await makeImage(10, 6, "jpeg")).toString("base64")}`,
      },
    });
    expect(await dimensionsAt(UpscaleOutput.parse(result.data).images[0]!.url)).toEqual({
      width: 20,
      height: 12,
      format: "jpeg",
    });
  });

  it("surfaces file_download_error as the client's ValidationError with fal's field errors", async () => {
    const error = await client()
      .run(endpoint, { input: { image_url: "https://example.com/none.png" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const validation = error as ValidationError;
    expect(validation.status).toBe(422);
    expect(validation.getFieldErrors("image_url")[0]).toMatchObject({ type: "file_download_error" });
    expect(validation.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a COMPLETED run that failed the content check makes subscribe throw 422", async () => {
    const error = await client()
      .subscribe(endpoint, {
        input: {
          image_url: `data:image/png;base64,${Buffer.from(await makeImage(8, 8)).toString("base64")}`,
        },
        headers: { "x-mock-scenario": "task-failure" },
        pollInterval: 50,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors[0]).toMatchObject({ type: "content_policy_violation" });
  });

  it("cancel and status work on the URLs the client builds", async () => {
    const falClient = client();
    const { request_id } = await falClient.queue.submit(endpoint, {
      input: { image_url: `data:image/png;base64,${Buffer.from(await makeImage(8, 8)).toString("base64")}` },
    });
    await falClient.queue.cancel(endpoint, { requestId: request_id });
    const status = await falClient.queue.status(endpoint, { requestId: request_id, logs: true });
    expect(status).toMatchObject({ status: "COMPLETED", error_type: "request_cancelled" });
  });

  it("a bad key is the client's ApiError 401", async () => {
    const error = await createFalClient({ credentials: "", fetch: (...a) => fetch(...a) })
      .run(endpoint, { input: { image_url: "https://example.com/a.png" } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError<unknown>).status).toBe(401);
    expect(h.checked.count).toBeGreaterThan(0);
  });
});
