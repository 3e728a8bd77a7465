/**
 * Slow and stalled clients (slowloris) against the standalone server, with short timeouts set
 * through startMockServer's `timeouts`: headers trickled, a connection that says nothing, a body
 * trickled slower than the request timeout allows, a body that stalls, an idle keep-alive. Each
 * connection is closed within its timeout (plus node's checking interval), and the server keeps
 * serving everyone else meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultTimeouts, type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { trickle } from "./hostile-client.ts";

const timeouts = { headersMs: 500, requestMs: 1_500, bodyIdleMs: 300, keepAliveMs: 300 };
/** node checks header and request timeouts on an interval (here headersMs / 4), plus scheduling. */
const slack = 700;
let server: MockServer;
let port: number;

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none", timeouts });
  port = Number(new URL(server.url).port);
});
afterAll(() => server?.close());

const head =
  "POST /freepik/v1/ai/image-upscaler HTTP/1.1\r\nHost: 127.0.0.1\r\nx-freepik-api-key: k\r\ncontent-type: application/json\r\n";

describe("slow clients are cut off", () => {
  it("headers trickled a byte every 50 ms: 408 and closed within the headers timeout", async () => {
    const result = await trickle(port, `${head}x-padding: ${"a".repeat(500)}\r\n\r\n`, {
      everyMs: 50,
      maxMs: 5_000,
    });
    expect(result.closedAfterMs).toBeLessThan(timeouts.headersMs + slack);
    expect(result.status).toBe(408);
    expect(result.sent).toBeLessThan(head.length);
  });

  it("a connection that sends nothing is closed within the headers timeout", async () => {
    const result = await trickle(port, "", { everyMs: 50, maxMs: 5_000 });
    expect(result.closedAfterMs).toBeLessThan(timeouts.headersMs + slack);
  });

  it("a body trickled (never idle long enough to trip the idle timeout) is cut at the request timeout", async () => {
    const body = "x".repeat(400);
    const result = await trickle(port, body, {
      prefix: `${head}content-length: ${body.length}\r\n\r\n`,
      everyMs: 100,
      maxMs: 6_000,
    });
    expect(result.closedAfterMs).toBeGreaterThan(timeouts.bodyIdleMs);
    expect(result.closedAfterMs).toBeLessThan(timeouts.requestMs + slack);
    expect(result.sent).toBeLessThan(body.length);
  });

  it("a body that stalls is dropped after the body idle timeout", async () => {
    const result = await trickle(port, "", {
      prefix: `${head}content-length: 1000\r\n\r\n{"image": "abc`,
      everyMs: 50,
      maxMs: 5_000,
    });
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(timeouts.bodyIdleMs - 20);
    expect(result.closedAfterMs).toBeLessThan(timeouts.bodyIdleMs + slack);
  });

  it("an idle keep-alive connection is closed after the keep-alive timeout", async () => {
    const result = await trickle(port, "", {
      prefix: "GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
      everyMs: 50,
      maxMs: 5_000,
    });
    expect(result.status).toBe(200);
    // node adds up to a second of grace to the keep-alive timeout.
    expect(result.closedAfterMs).toBeLessThan(timeouts.keepAliveMs + 1_000 + slack);
  });

  it("100 slowloris connections at once: others are served meanwhile, and all 100 are closed", async () => {
    const slow = Array.from({ length: 100 }, () =>
      trickle(port, `${head}x-padding: ${"a".repeat(200)}\r\n\r\n`, { everyMs: 100, maxMs: 5_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const health = await fetch(`${server.url}/__admin/health`);
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1_000);
    const results = await Promise.all(slow);
    expect(results.every((r) => r.closedAfterMs < timeouts.headersMs + slack + 200)).toBe(true);
    expect((await fetch(`${server.url}/__admin/health`)).status).toBe(200);
  });

  it("the defaults are finite", () => {
    expect(defaultTimeouts).toEqual({
      headersMs: 10_000,
      requestMs: 120_000,
      bodyIdleMs: 30_000,
      keepAliveMs: 5_000,
    });
  });
});
