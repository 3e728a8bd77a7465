import { describe, expect, it } from "vitest";
import { presetNames } from "../../mocks/engine/faults.ts";
import { fal } from "../../mocks/providers/fal/definition.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import {
  CompletedStatus,
  QueueSubmitResponse,
  UpscaleOutput,
  ValidationErrorResponse,
} from "../../src/providers/fal/schemas.ts";
import { useSimulators } from "../helpers/harness.ts";

const h = useSimulators({ definitions: [fal] });
const key = { authorization: "Key test-key-id:test-key-secret" };
const runUrl = "https://fal.run/fal-ai/ideogram/upscale";
const submitUrl = "https://queue.fal.run/fal-ai/ideogram/upscale";
const image = async () => `data:image/png;base64,${toBase64(await makeImage(8, 8))}`;

async function post(url: string, headers: Record<string, string> = {}, init: RequestInit = {}) {
  return fetch(url, {
    method: "POST",
    headers: { ...key, "content-type": "application/json", ...headers },
    body: JSON.stringify({ image_url: await image() }),
    ...init,
  });
}

async function submitted(headers: Record<string, string> = {}) {
  const response = await post(submitUrl, headers);
  expect(response.status).toBe(200);
  return QueueSubmitResponse.parse(await response.json());
}

async function finish(statusUrl: string) {
  for (let i = 0; i < 500; i++) {
    const body = (await (await fetch(statusUrl, { headers: key })).json()) as { status: string };
    if (body.status === "COMPLETED") return CompletedStatus.parse(body);
    await h.clock.sleep(500);
  }
  throw new Error("the run did not complete");
}

describe("fal answers every applicable preset natively", () => {
  it("covers every preset the engine knows (webhook-chaos is in fal-webhook.test.ts)", () => {
    expect(presetNames.sort()).toEqual(
      [
        "auth-failure",
        "expired-urls",
        "flaky",
        "healthy",
        "malformed",
        "no-credit",
        "outage",
        "rate-limited",
        "reset",
        "slow",
        "stuck",
        "task-failure",
        "timeout",
        "webhook-chaos",
      ].sort(),
    );
  });

  it("healthy changes nothing", async () => {
    expect((await post(runUrl, { "x-mock-scenario": "healthy" })).status).toBe(200);
  });

  it.each([runUrl, submitUrl])(
    "outage → 503 runner_scheduling_failure with X-Fal-Error-Type (%s)",
    async (url) => {
      const response = await post(url, { "x-mock-scenario": "outage" });
      expect(response.status).toBe(503);
      expect(response.headers.get("x-fal-error-type")).toBe("runner_scheduling_failure");
      expect(response.headers.get("x-fal-request-id")).toBeTruthy();
      expect(await response.json()).toEqual({
        detail: "Failed to schedule a runner for the request.",
        error_type: "runner_scheduling_failure",
      });
    },
  );

  it("outage also hits status, result, cancel and storage", async () => {
    const ticket = await submitted();
    const outage = { ...key, "x-mock-scenario": "outage" };
    expect((await fetch(ticket.status_url, { headers: outage })).status).toBe(503);
    expect((await fetch(ticket.response_url, { headers: outage })).status).toBe(503);
    expect((await fetch(ticket.cancel_url, { method: "PUT", headers: outage })).status).toBe(503);
    const init = await fetch("https://rest.fal.ai/storage/upload/initiate?storage_type=fal-cdn-v3", {
      method: "POST",
      headers: { ...outage, "content-type": "application/json" },
      body: JSON.stringify({ content_type: "image/png", file_name: "a.png" }),
    });
    expect(init.status).toBe(503);
  });

  it("auth-failure → 401 No user found", async () => {
    const response = await post(runUrl, { "x-mock-scenario": "auth-failure" });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: "No user found for Key ID and Secret" });
  });

  it.each([runUrl, submitUrl])("no-credit → 403 User is locked (%s)", async (url) => {
    const response = await post(url, { "x-mock-scenario": "no-credit" });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { detail: string };
    expect(body.detail).toMatch(/^User is locked\. Reason: Exhausted balance\./);
  });

  it("rate-limited → 429 with Retry-After twice, then accepted", async () => {
    h.simulator.setScenario("default", "fal", "rate-limited");
    for (let i = 0; i < 2; i++) {
      const response = await post(runUrl);
      expect(response.status).toBe(429);
      expect(response.headers.get("retry-after")).toBe("2");
      expect(await response.json()).toEqual({ detail: "Too many requests. Please slow down." });
    }
    expect((await post(runUrl)).status).toBe(200);
  });

  it("task-failure on fal.run → 422 content_policy_violation after the run", async () => {
    const before = h.clock.now();
    const response = await post(runUrl, { "x-mock-scenario": "task-failure" });
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(5_000);
    expect(response.status).toBe(422);
    expect(response.headers.get("x-fal-retryable")).toBe("false");
    const body = ValidationErrorResponse.parse(await response.json());
    expect(body.detail[0]).toMatchObject({ type: "content_policy_violation", loc: ["body", "image_url"] });
  });

  it("task-failure on the queue → COMPLETED (no FAILED), then the result GET answers 422 content_policy_violation", async () => {
    const ticket = await submitted({ "x-mock-scenario": "task-failure" });
    const final = await finish(ticket.status_url);
    expect(final).toMatchObject({ status: "COMPLETED", error_type: "content_policy_violation" });
    expect(final.metrics!.inference_time).toBeGreaterThan(0);
    const result = await fetch(ticket.response_url, { headers: key });
    expect(result.status).toBe(422);
    expect(result.headers.get("x-fal-retryable")).toBe("false");
    const body = ValidationErrorResponse.parse(await result.json());
    expect(body.detail[0]!.type).toBe("content_policy_violation");
  });

  it("stuck → the queued run stays IN_QUEUE however long one waits", async () => {
    const ticket = await submitted({ "x-mock-scenario": "stuck" });
    await h.clock.advance(60 * 60 * 1000);
    const body = (await (await fetch(ticket.status_url, { headers: key })).json()) as { status: string };
    expect(body.status).toBe("IN_QUEUE");
    expect((await fetch(ticket.response_url, { headers: key })).status).toBe(400);
  });

  it("stuck on fal.run hangs until the caller gives up, or answers 504 at x-fal-request-timeout", async () => {
    await expect(
      post(runUrl, { "x-mock-scenario": "stuck" }, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    const before = h.clock.now();
    const response = await post(runUrl, { "x-mock-scenario": "stuck", "x-fal-request-timeout": "10" });
    expect(response.status).toBe(504);
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(10_000);
    expect(response.headers.get("x-fal-request-timeout-type")).toBe("user");
    expect(await response.json()).toMatchObject({ error_type: "request_timeout" });
  });

  it("malformed → 200 whose body breaks the schema (and the conformance check sees it)", async () => {
    h.violations.length = 0;
    const response = await post(runUrl, { "x-mock-scenario": "malformed" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ images: null, seed: null });
    expect(h.violations.length).toBeGreaterThan(0);
    h.violations.length = 0;
  });

  it("timeout hangs until the caller's AbortSignal fires", async () => {
    await expect(
      post(runUrl, { "x-mock-scenario": "timeout" }, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow(/abort|timeout/i);
  });

  it("reset drops the first attempt's connection, the next one works", async () => {
    h.simulator.setScenario("default", "fal", "reset");
    await expect(post(runUrl)).rejects.toThrow();
    expect((await post(runUrl)).status).toBe(200);
  });

  it("slow adds provider latency on the clock", async () => {
    const ticket = await submitted();
    const before = h.clock.now();
    const response = await fetch(ticket.status_url, { headers: { ...key, "x-mock-scenario": "slow" } });
    expect(response.status).toBe(200);
    expect(h.clock.now() - before).toBeGreaterThan(100);
  });

  it("flaky fails some status reads with 503 and lets the rest through", async () => {
    const ticket = await submitted();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++)
      statuses.push(
        (await fetch(ticket.status_url, { headers: { ...key, "x-mock-scenario": "flaky" } })).status,
      );
    expect(new Set(statuses)).toEqual(new Set([200, 503]));
  });

  it("expired-urls → result files answer 404 (deleted from the CDN)", async () => {
    const response = await post(runUrl);
    const output = UpscaleOutput.parse(await response.json());
    expect((await fetch(output.images[0]!.url)).status).toBe(200);
    const expired = await fetch(output.images[0]!.url, { headers: { "x-mock-scenario": "expired-urls" } });
    expect(expired.status).toBe(404);
  });

  it("result files also expire with time (7 days)", async () => {
    const output = UpscaleOutput.parse(await (await post(runUrl)).json());
    await h.clock.advance(8 * 24 * 60 * 60 * 1000);
    expect((await fetch(output.images[0]!.url)).status).toBe(404);
  });

  it("unknown preset names are refused, not ignored", async () => {
    const response = await post(runUrl, { "x-mock-scenario": "nonsense" });
    expect(response.status).toBe(400);
    // That 400 is the harness's own (a test-setup error), marked so no spec check counts it.
    expect(response.headers.get("x-mock-error")).toBe("unknown-scenario");
  });
});
