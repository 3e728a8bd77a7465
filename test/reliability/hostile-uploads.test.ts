/**
 * Bodies over a route's limit are refused while they stream in, before the server has read them:
 * each upload route reads at most its provider's file limit (10 MB + multipart overhead), the
 * JSON routes at most `maxJsonBytes`. A client streaming 50 MB gets the provider's own answer
 * while it is still sending, and the connection is closed long before it could finish; a
 * declared Content-Length over the limit is answered before a byte of body is read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultLimits, multipartOverheadBytes } from "../../mocks/engine/provider.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import { streamBody } from "./hostile-client.ts";

let server: MockServer;
let port: number;
const spec = new SpecConformance();
const MB = 1024 * 1024;
const sent = 50 * MB;
const boundary = "BOUNDARY-hostile-upload";

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
  port = Number(new URL(server.url).port);
});
afterAll(() => server?.close());

interface Case {
  name: string;
  provider: "ideogram" | "chainhub" | "onemin" | "fal" | "freepik";
  operation?: string;
  head: string;
  status: number;
  /** The route's limit: what the server may read before answering. */
  limit: number;
  native: RegExp;
}

const uploadLimit = defaultLimits.maxUploadBytes + multipartOverheadBytes;
const multipartType = `Content-Type: multipart/form-data; boundary=${boundary}`;

const cases: Case[] = [
  {
    name: "ideogram POST /upscale (multipart, 10 MB image limit)",
    provider: "ideogram",
    operation: "upscaleImage",
    head: `POST /ideogram/upscale HTTP/1.1\r\nHost: 127.0.0.1\r\nApi-Key: k\r\n${multipartType}`,
    status: 413,
    limit: uploadLimit,
    native: /^\{"error":"Image file is too large/,
  },
  {
    name: "chainhub POST /ideogram/upscale (multipart; chainhub answers 400 code 1200)",
    provider: "chainhub",
    operation: "submitUpscale",
    head: `POST /chainhub/ideogram/upscale HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer k\r\nAccept: application/json\r\n${multipartType}`,
    status: 400,
    limit: uploadLimit,
    native: /^\{"code":1200,/,
  },
  {
    name: "1min.ai POST /api/assets (multipart, 10 MB)",
    provider: "onemin",
    operation: "uploadAsset",
    head: `POST /onemin/api/assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAPI-KEY: k\r\n${multipartType}`,
    status: 413,
    limit: uploadLimit,
    native: /^\{"message":"File too large/,
  },
  {
    name: "freepik POST /v1/ai/image-upscaler (JSON, 40 MB)",
    provider: "freepik",
    operation: "createUpscale",
    head: "POST /freepik/v1/ai/image-upscaler HTTP/1.1\r\nHost: 127.0.0.1\r\nx-freepik-api-key: k\r\nContent-Type: application/json",
    status: 400,
    limit: defaultLimits.maxJsonBytes,
    native: /^\{"message":"The request body is larger than/,
  },
  {
    name: "fal POST fal.run (JSON, 40 MB; fal answers 422 file_too_large)",
    provider: "fal",
    operation: "runUpscale",
    head: "POST /fal/run/fal-ai/ideogram/upscale HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Key k\r\nContent-Type: application/json",
    status: 422,
    limit: defaultLimits.maxJsonBytes,
    native: /"type":"file_too_large"/,
  },
];

describe("bodies over the limit are refused while streaming", () => {
  for (const c of cases) {
    it(`${c.name}: 50 MB streamed in chunks`, async () => {
      const result = await streamBody(port, c.head, sent);
      expect(result.status, result.body).toBe(c.status);
      expect(result.body).toMatch(c.native);
      if (c.operation) {
        const problems = spec.check(c.provider, c.operation, {
          status: result.status,
          headers: { "content-type": "application/json" },
          body: { kind: "text", value: result.body },
        });
        expect(problems).toEqual([]);
      }
      // The answer came while the client was still sending…
      expect(result.sentAtAnswer).toBeGreaterThan(0);
      expect(result.sentAtAnswer).toBeLessThan(sent);
      // …and the server closed the connection instead of reading the rest: the client could
      // send at most the limit, the 4 MB the server discards after answering, and what the
      // socket buffers hold.
      expect(result.closedEarly).toBe(true);
      expect(result.sentAtClose).toBeLessThan(c.limit + 12 * MB);
    }, 30_000);

    it(`${c.name}: a declared Content-Length over the limit is answered before any body is sent`, async () => {
      // Headers only: a server that waited for the 50 MB announced would never answer.
      const result = await streamBody(port, c.head, 0, { contentLength: sent, timeoutMs: 2_000 });
      expect(result.status).toBe(c.status);
      expect(result.body).toMatch(c.native);
      expect(result.sentAtAnswer).toBe(0);
      expect(result.ms).toBeLessThan(1_500);
    }, 30_000);
  }

  it("fal storage PUT <upload_url>: refused at the 10 MB file limit with 413", async () => {
    const initiate = await fetch(
      `${server.urls["fal.rest"]}/storage/upload/initiate?storage_type=fal-cdn-v3`,
      {
        method: "POST",
        headers: { authorization: "Key k", "content-type": "application/json" },
        body: JSON.stringify({ content_type: "image/png", file_name: "big.png" }),
      },
    );
    const { upload_url } = (await initiate.json()) as { upload_url: string };
    const url = new URL(upload_url);
    const result = await streamBody(
      port,
      `PUT ${url.pathname}${url.search} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png`,
      sent,
    );
    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toEqual({ detail: expect.stringMatching(/larger than 10485760 bytes/) });
    expect(result.closedEarly).toBe(true);
    expect(result.sentAtClose).toBeLessThan(defaultLimits.maxUploadBytes + 12 * MB);
  }, 30_000);

  it("a body just under the limit is still read and judged on its content", async () => {
    const result = await streamBody(
      port,
      `POST /onemin/api/assets HTTP/1.1\r\nHost: 127.0.0.1\r\nAPI-KEY: k\r\n${multipartType}`,
      defaultLimits.maxUploadBytes - MB,
      { timeoutMs: 500 },
    );
    // Not multipart at all (it is "AAAA…"): the route read it and said so.
    expect(result.status).toBe(400);
    expect(result.body).not.toMatch(/too large/i);
  }, 30_000);

  it("the refusals are journaled, and the server keeps answering", async () => {
    const journal = (await (await fetch(`${server.url}/__admin/journal?provider=ideogram`)).json()) as {
      entries: Array<{ status: number; faults: string[]; requestBytes: number }>;
    };
    const refused = journal.entries.filter((e) => e.faults.includes("body-too-large"));
    expect(refused.length).toBeGreaterThanOrEqual(2);
    expect(refused.every((e) => e.status === 413 && e.requestBytes === 0)).toBe(true);
    expect((await fetch(`${server.url}/__admin/health`)).status).toBe(200);
  });
});
