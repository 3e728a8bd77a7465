/**
 * The proxy under clients that misbehave or push: garbage and oversized CONNECT lines, half-open
 * sockets, TLS hellos for names it does not serve, TLS without CONNECT; then keep-alive through
 * one tunnel and many tunnels at once. Each is answered or closed, and the proxy serves on.
 */
import type { TLSSocket } from "node:tls";
import { Client } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProxiedServer, startProxied } from "./helpers.ts";
import { dial, openTunnel, readToEnd, sendConnect } from "./raw.ts";

let proxied: ProxiedServer;
const handshakeMs = 1_000;

beforeAll(async () => {
  proxied = await startProxied({ timeouts: { headersMs: 1_000, requestMs: 3_000 } }, { handshakeMs });
});
afterAll(() => proxied?.stop());

const proxyUrl = () => proxied.server.proxy!.url;
const ca = () => proxied.server.proxy!.caCertPem;

/** An HTTP client speaking over one already-open tunnel (it never dials anything itself). */
function clientOver(tunnel: TLSSocket, origin: string): { client: Client; connects: () => number } {
  let connects = 0;
  const client = new Client(origin, {
    connect: (_options, done) => {
      connects++;
      done(null, tunnel);
    },
    pipelining: 1,
  });
  return { client, connects: () => connects };
}

async function pollStatus(client: Client): Promise<number> {
  const answer = await client.request({
    method: "GET",
    path: "/v1/ai/image-upscaler/00000000-0000-4000-8000-000000000000",
    headers: { "x-freepik-api-key": "any" },
  });
  await answer.body.arrayBuffer();
  return answer.statusCode;
}

/** The proxy still answers an ordinary request through a fresh tunnel. */
async function stillServes(): Promise<void> {
  const tunnel = await openTunnel(proxyUrl(), "api.freepik.com", ca());
  const { client } = clientOver(tunnel, "https://api.freepik.com");
  expect(await pollStatus(client)).toBe(404);
  await client.close();
}

describe("hostile CONNECT lines", () => {
  it("answers garbage with 400 and closes", async () => {
    const socket = await dial(proxyUrl());
    socket.write("\x00\x01NOT HTTP AT ALL\r\n\r\n");
    const { text, closed } = await readToEnd(socket);
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(closed).toBe(true);
    await stillServes();
  });

  it("answers a CONNECT with a malformed target with 400", async () => {
    const { socket, status } = await sendConnect(proxyUrl(), "no-port-here");
    expect(status).toBe(400);
    socket.destroy();
  });

  it("answers huge headers with 431 and closes", async () => {
    const socket = await dial(proxyUrl());
    socket.write(`CONNECT api.freepik.com:443 HTTP/1.1\r\nX-Big: ${"a".repeat(64 * 1024)}\r\n\r\n`);
    const { text, closed } = await readToEnd(socket);
    expect(text).toMatch(/^HTTP\/1\.1 431/);
    expect(closed).toBe(true);
  });

  it("closes a CONNECT line that never ends (header timeout)", async () => {
    const socket = await dial(proxyUrl());
    socket.write("CONNECT api.freepik.com:443 HTTP/1.1\r\nHost: api.fre");
    const { closed } = await readToEnd(socket, 5_000);
    expect(closed).toBe(true);
  });

  it("closes a tunnel whose client never starts TLS, or half-closes at once", async () => {
    const silent = await sendConnect(proxyUrl(), "api.freepik.com:443");
    expect(silent.status).toBe(200);
    const started = performance.now();
    expect((await readToEnd(silent.socket, 5_000)).closed).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(handshakeMs - 50);

    const halfOpen = await sendConnect(proxyUrl(), "api.freepik.com:443");
    halfOpen.socket.end();
    expect((await readToEnd(halfOpen.socket, 5_000)).closed).toBe(true);
    await stillServes();
  });

  it("refuses a TLS hello for a name it does not serve, or another host than the CONNECT named", async () => {
    await expect(openTunnel(proxyUrl(), "api.freepik.com", ca(), "unknown.invalid")).rejects.toThrow();
    await expect(openTunnel(proxyUrl(), "api.freepik.com", ca(), "api.ideogram.ai")).rejects.toThrow();
    await stillServes();
  });

  it("answers TLS sent to it without a CONNECT with 400", async () => {
    const socket = await dial(proxyUrl());
    // The first bytes of a TLS ClientHello: not HTTP.
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    const { text, closed } = await readToEnd(socket);
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(closed).toBe(true);
  });
});

describe("load through tunnels", () => {
  // Default timeouts here: on a loaded machine 60 handshakes at once can outlast the short ones above.
  let loaded: ProxiedServer;
  beforeAll(async () => {
    loaded = await startProxied();
  });
  afterAll(() => loaded?.stop());
  const loadedUrl = () => loaded.server.proxy!.url;
  const loadedCa = () => loaded.server.proxy!.caCertPem;

  it("keeps one tunnel alive for many requests", async () => {
    const tunnel = await openTunnel(loadedUrl(), "api.freepik.com", loadedCa());
    const { client, connects } = clientOver(tunnel, "https://api.freepik.com");
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push(await pollStatus(client));
    expect(statuses.every((s) => s === 404)).toBe(true);
    expect(connects()).toBe(1);
    await client.close();
  });

  it("serves many tunnels at once", async () => {
    const hosts = ["api.freepik.com", "queue.fal.run", "api.ideogram.ai", "api.1min.ai"];
    const statuses = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const host = hosts[i % hosts.length]!;
        const tunnel = await openTunnel(loadedUrl(), host, loadedCa());
        const { client } = clientOver(tunnel, `https://${host}`);
        const answer = await client.request({ method: "GET", path: "/definitely/not/a/route" });
        await answer.body.arrayBuffer();
        await client.close();
        return answer.statusCode;
      }),
    );
    // Each provider says "not found" (or "unauthorised") in its own way; none fails to answer.
    expect(statuses).toHaveLength(60);
    for (const status of statuses) expect([401, 404, 405]).toContain(status);
  });
});
