/**
 * What the proxy lets out: simulated hosts are answered locally, every other host is refused
 * with a message naming it and the flag that would allow it, and only hosts named with
 * --proxy-passthrough are tunnelled (here, a server on loopback). Also the CA on disk and the
 * admin view of the proxy.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { providerHosts } from "../../mocks/provider-hosts.ts";
import { loadOrCreateCa } from "../../mocks/proxy/ca.ts";
import { type ProxiedServer, startProxied } from "./helpers.ts";
import { portOf, readToEnd, sendConnect } from "./raw.ts";

let loopback: Server;
let loopbackPort: number;
let proxied: ProxiedServer;

beforeAll(async () => {
  loopback = createServer((req, res) => res.end(`loopback saw ${req.method} ${req.url}`));
  await new Promise<void>((resolve) => loopback.listen(0, "127.0.0.1", resolve));
  loopbackPort = (loopback.address() as AddressInfo).port;
  proxied = await startProxied({}, { passthrough: [`127.0.0.1:${loopbackPort}`] });
});
afterAll(async () => {
  await proxied?.stop();
  await new Promise((resolve) => loopback?.close(resolve));
});

const proxyUrl = () => proxied.server.proxy!.url;

/** An absolute-URI request sent to the proxy, as a client with HTTP_PROXY set sends it. */
function viaProxy(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: portOf(proxyUrl()),
        path: url,
        headers: { host: new URL(url).host, ...headers },
      },
      (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("refusals and passthrough", () => {
  it("refuses CONNECT to a host it does not simulate, naming the host and the flag", async () => {
    const { socket, status } = await sendConnect(proxyUrl(), "blocked.invalid:443");
    const { text, closed } = await readToEnd(socket);
    expect(status).toBe(403);
    expect(closed).toBe(true);
    expect(text).toContain("refused blocked.invalid:443");
    expect(text).toContain("--proxy-passthrough blocked.invalid");
  });

  it("refuses a simulated host's name on another port, and absolute http:// URLs elsewhere", async () => {
    const other = await sendConnect(proxyUrl(), "api.freepik.com:8443");
    expect(other.status).toBe(403);
    other.socket.destroy();
    const plain = await viaProxy("http://blocked.invalid/anything");
    expect(plain.status).toBe(403);
    expect(plain.body).toContain("--proxy-passthrough blocked.invalid");
  });

  it("answers an absolute http:// request for a simulated host from the simulator", async () => {
    const answer = await viaProxy("http://api.freepik.com/v1/ai/image-upscaler/not-a-uuid", {
      "x-freepik-api-key": "any",
    });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toHaveProperty("message");
  });

  it("says what it is to a request that is not for a proxy", async () => {
    const answer = await fetch(`${proxyUrl()}/`);
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain(`HTTPS_PROXY=${proxyUrl()}`);
  });

  it("tunnels a --proxy-passthrough host untouched, and only on the port it names", async () => {
    const { socket, status } = await sendConnect(proxyUrl(), `127.0.0.1:${loopbackPort}`);
    expect(status).toBe(200);
    socket.write("GET /through HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    const { text } = await readToEnd(socket);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain("loopback saw GET /through");

    const forwarded = await viaProxy(`http://127.0.0.1:${loopbackPort}/plain?x=1`);
    expect(forwarded).toEqual({ status: 200, body: "loopback saw GET /plain?x=1" });

    const otherPort = await sendConnect(
      proxyUrl(),
      `127.0.0.1:${loopbackPort === 65_535 ? 1 : loopbackPort + 1}`,
    );
    expect(otherPort.status).toBe(403);
    otherPort.socket.destroy();
  });

  it("GET /__admin/proxy tells the proxy's URL, its CA and every simulated host", async () => {
    const info = await (await fetch(`${proxied.server.url}/__admin/proxy`)).json();
    expect(info.url).toBe(proxyUrl());
    expect(info.caCertPem).toBe(readFileSync(info.caCertPath, "utf8"));
    const everyHost = Object.values(providerHosts).flatMap((hosts) =>
      Object.values(hosts).map((origin) => new URL(origin).hostname),
    );
    expect([...info.hosts].sort()).toEqual([...everyHost].sort());
    expect(info.passthrough).toEqual([`127.0.0.1:${loopbackPort}`]);
  });
});

describe("the local CA on disk", () => {
  it("keeps the key at mode 0600, reuses the CA across runs, and tightens a loosened key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "upscale-harness-ca-"));
    try {
      const first = await loadOrCreateCa(dir);
      expect(statSync(first.keyPath).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(readFileSync(first.certPath, "utf8")).not.toContain("PRIVATE KEY");
      expect(readFileSync(first.bundlePath, "utf8").startsWith(first.certPem)).toBe(true);
      chmodSync(first.keyPath, 0o644);
      const second = await loadOrCreateCa(dir);
      expect(second.certPem).toBe(first.certPem);
      expect(statSync(second.keyPath).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("makes one CA when two start at once in the same directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "upscale-harness-ca-"));
    try {
      const [a, b] = await Promise.all([loadOrCreateCa(dir), loadOrCreateCa(dir)]);
      const again = await loadOrCreateCa(dir);
      expect(again.certPem).toBe(readFileSync(again.certPath, "utf8"));
      expect([a.certPem, b.certPem]).toContain(again.certPem);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
