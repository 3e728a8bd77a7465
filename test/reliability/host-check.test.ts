/**
 * The DNS-rebinding defence, over HTTP: a request whose Host is a foreign name (what a page on a
 * rebound name sends) reads nothing, admin API and provider routes alike, and gets a 403 naming
 * --allowed-hosts; loopback names, IP addresses, the bound address and listed names are served.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostAllowlist, hostName } from "../../mocks/server/host-check.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { runMock } from "../../src/cli/mock-command.ts";
import { send } from "../helpers/raw-http.ts";
import { startUpscaledServer } from "../helpers/upscaled-server.ts";

let server: MockServer;
let port: string;
let fileId: string;

beforeAll(async () => {
  ({ server, fileId } = await startUpscaledServer());
  port = new URL(server.url).port;
});
afterAll(() => server?.close());

const reads = () => [
  "/__admin/journal",
  "/__admin/upscales",
  "/__admin/tasks",
  `/__admin/files/${fileId}`,
  "/__admin/ui",
  "/freepik/v1/ai/image-upscaler",
];
const get = (host: string, path: string, base = server.url) =>
  send(base, "GET", path, { host, "x-freepik-api-key": "k" });

describe("host allowlist", () => {
  it("a foreign name (a DNS-rebinding page) reads nothing: 403 naming --allowed-hosts", async () => {
    for (const host of [`rebind.invalid:${port}`, "rebind.invalid", `localhost.rebind.invalid:${port}`]) {
      for (const path of reads()) {
        const answer = await get(host, path);
        expect(answer.status, `${host} ${path}`).toBe(403);
        expect(answer.text).toMatch(
          /--allowed-hosts localhost\.rebind\.invalid|--allowed-hosts rebind\.invalid/,
        );
        expect(answer.text).not.toMatch(/"entries"|"upscales"|"tasks"|"data"/);
      }
    }
  });

  it("a foreign name cannot write either, whatever its Origin", async () => {
    const host = `rebind.invalid:${port}`;
    const answer = await send(
      server.url,
      "POST",
      "/__admin/reset",
      { host, origin: `http://${host}`, "content-type": "application/json" },
      "{}",
    );
    expect(answer.status).toBe(403);
    expect(server.simulator.services.files.size).toBeGreaterThan(0);
  });

  it("a provider route's refusal keeps its CORS headers, so a page can show why", async () => {
    const answer = await get(`rebind.invalid:${port}`, "/freepik/v1/ai/image-upscaler");
    expect(answer.headers["access-control-allow-origin"]).toBe("*");
    const adminAnswer = await get(`rebind.invalid:${port}`, "/__admin/journal");
    expect(adminAnswer.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("loopback names, *.localhost, IP addresses and no Host at all are served", async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      `LOCALHOST.:${port}`,
      `[::1]:${port}`,
      `app.localhost:${port}`,
      "10.0.0.7",
      `[fe80::1]:${port}`,
    ]) {
      for (const path of reads()) expect((await get(host, path)).status, `${host} ${path}`).toBe(200);
    }
    // HTTP/1.0 allows a request without Host (no browser sends one).
    const bare = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () =>
        socket.write("GET /__admin/health HTTP/1.0\r\n\r\n"),
      );
      let text = "";
      socket.on("data", (chunk) => (text += chunk));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(bare).toMatch(/^HTTP\/1\.1 200/);
  });
});

describe("allowed hosts", () => {
  let named: MockServer;
  beforeAll(async () => {
    named = await startMockServer({ port: 0, latency: "none", allowedHosts: ["mock", ".sim.test"] });
  });
  afterAll(() => named?.close());

  it("listed names and, for a leading dot, a domain and its subdomains are served; others are not", async () => {
    const at = (host: string) => get(host, "/__admin/journal", named.url);
    for (const host of ["mock:4010", "MOCK", "sim.test", "api.sim.test:80"])
      expect((await at(host)).status, host).toBe(200);
    for (const host of ["mock.invalid", "xmock", "sim.test.invalid", "notsim.test"])
      expect((await at(host)).status, host).toBe(403);
  });

  it('"all" turns the check off', async () => {
    const open = await startMockServer({ port: 0, latency: "none", allowedHosts: "all" });
    try {
      expect((await get("anything.invalid", "/__admin/journal", open.url)).status).toBe(200);
    } finally {
      await open.close();
    }
  });

  it("the bound address is served by name", () => {
    const allowed = hostAllowlist("sim.internal");
    expect(allowed("sim.internal:4010")).toBe(true);
    expect(allowed("other.internal:4010")).toBe(false);
    expect(hostName("[::1]:4010")).toBe("::1");
    expect(hostName("Mock.:80")).toBe("mock");
  });

  it("the CLI takes --allowed-hosts, and refuses an entry that is not a host name", async () => {
    await expect(runMock(["--port", "0", "--quiet", "--allowed-hosts", "mock,http://x"])).rejects.toThrow(
      /--allowed-hosts entry "http:\/\/x"/,
    );
    let cli: Serving | undefined;
    try {
      cli = await startCli(["mock", "--port", "0", "--quiet", "--allowed-hosts", "mock,.sim.test"]);
      expect((await get("mock", "/__admin/health", cli.url)).status).toBe(200);
      expect((await get("a.sim.test", "/__admin/health", cli.url)).status).toBe(200);
      expect((await get("rebind.invalid", "/__admin/health", cli.url)).status).toBe(403);
    } finally {
      await cli?.stop();
    }
  }, 30_000);
});
