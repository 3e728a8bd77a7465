/**
 * The same spec-driven fuzzing over HTTP against the standalone server (port 0, latency none),
 * with raw paths (nothing normalised on the way) and a loopback webhook receiver; then requests
 * with any method, path and header on every provider prefix. Every answer is declared by the
 * spec, nothing is a 5xx without an outage scenario, every request gets an answer, and the
 * server still answers its health check at the end.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fuzzOperation,
  fuzzSeed,
  httpTransport,
  rawRequest,
  selectedOperations,
} from "../../scripts/lib/fuzz-run.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

const runs = Number(process.env.FUZZ_HTTP_RUNS ?? 100);
const seed = fuzzSeed();
const operations = selectedOperations();
let transport: Awaited<ReturnType<typeof httpTransport>>;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver();
  transport = await httpTransport({ webhookUrl: `${receiver.url}/hooks/fuzz` });
  console.log(`fuzz (http): seed ${seed}, ${runs} runs per operation; replay with FUZZ_SEED=${seed}`);
});

afterAll(async () => {
  await transport?.close();
  await receiver?.close();
});

describe("fuzzing the standalone server over HTTP", () => {
  for (const op of operations) {
    it(`${op.id}: ${runs} generated requests over HTTP get the spec's answers`, async () => {
      const result = await fuzzOperation(transport, op, { runs, seed });
      if (result.failure) throw new Error(result.failure);
      expect(result.runs).toBe(runs);
      expect(await transport.healthy()).toBe(true);
    }, 120_000);
  }

  it("any method, path and header on every provider prefix: an answer, never a 5xx", async () => {
    const prefixes = [...new Set(Object.values(transport.server.urls).map((u) => new URL(u).pathname))];
    const segment = fc.oneof(
      fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/),
      fc.constantFrom(
        "..",
        ".",
        "%2e%2e",
        "%2f",
        "%00",
        "%zz",
        "%252e",
        "~team",
        "__admin",
        "upload",
        "requests",
      ),
      fc.string({ maxLength: 6 }).map(encodeURIComponent),
    );
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "PROPFIND"),
      path: fc
        .tuple(fc.constantFrom(...prefixes, "", "/~ns"), fc.array(segment, { maxLength: 5 }))
        .map(([prefix, rest]) => `${prefix}/${rest.join("/")}`),
      query: fc.option(
        fc.string({ maxLength: 20 }).map((q) => `?${encodeURIComponent(q)}`),
        { nil: "" },
      ),
      headers: fc.dictionary(
        fc.constantFrom(
          "x-mock-scenario",
          "x-mock-namespace",
          "x-fal-target-url",
          "authorization",
          "content-type",
          "accept",
          "x-mock-chainhub-mode",
          "access-control-request-method",
        ),
        fc.stringMatching(/^[\x20-\x7e]{0,30}$/),
        { maxKeys: 4 },
      ),
      body: fc.uint8Array({ maxLength: 64 }),
    });
    const base = new URL(transport.server.url);
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, query, headers, body }) => {
        // Scenarios that hang or drop on purpose are not what this property is about.
        if (/timeout|reset|slow|stuck/.test(headers["x-mock-scenario"] ?? "")) return;
        const answer = await rawRequest(
          undefined,
          method,
          base,
          `${path}${query}`,
          headers,
          method === "GET" || method === "HEAD" ? new Uint8Array() : body,
          10_000,
        );
        answered++;
        const outage = /flaky|outage/.test(headers["x-mock-scenario"] ?? "");
        expect(
          answer.status === 503 && outage ? 400 : answer.status,
          `${method} ${path}${query} ${JSON.stringify(headers)}`,
        ).toBeLessThan(500);
      }),
      { numRuns: runs * 5, seed },
    );
    expect(answered).toBeGreaterThan(runs * 4);
    expect(await transport.healthy()).toBe(true);
  }, 120_000);
});
