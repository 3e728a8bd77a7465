/**
 * The two ways the fuzzer reaches the simulators: in-process (`simulator.handle`, exactly as a
 * transport calls it) and over HTTP (the standalone server, with raw requests that keep paths
 * and headers exactly as written).
 */
import { Agent, request as httpRequest } from "node:http";
import type { ProviderId } from "../../mocks/engine/faults.ts";
import type { SimBody, SimRequest, SimResponse } from "../../mocks/engine/sim-http.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { createSimulator, type Simulator } from "../../mocks/simulator.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import type { CaseInputs, WireRequest } from "./fuzz-cases.ts";
import { badImages, goodImages } from "./hostile-images.ts";

export const fuzzNamespace = "fuzz";

/** One way of reaching the simulators. */
export interface FuzzTransport {
  name: string;
  inputs: CaseInputs;
  send(provider: ProviderId, host: string, wire: WireRequest): Promise<SimResponse>;
  /** For absolute URLs the simulator handed out (upload URLs, status URLs). */
  sendUrl(
    method: string,
    url: string,
    headers: Record<string, string>,
    body?: Uint8Array,
  ): Promise<SimResponse>;
  /** Whether the server still answers its health check. */
  healthy(): Promise<boolean>;
  close(): Promise<void>;
}

/** The simulator in this process, called exactly as a transport calls it. */
export async function inProcessTransport(): Promise<FuzzTransport & { simulator: Simulator }> {
  const simulator = createSimulator({
    clock: new VirtualClock(),
    latency: "none",
    seed: 7,
    // Sent nowhere: fuzzed webhook targets are recorded, never contacted.
    webhookSender: async () => ({ status: 204 }),
    settings: { "onemin.rateLimitPerMinute": "0" },
  });
  const origins = [...simulator.providers].flatMap(([provider, d]) =>
    Object.entries(d.hosts).map(([host, origin]) => ({ provider, host, origin })),
  );
  const resolveOwn = (url: string) => {
    if (!URL.canParse(url)) return undefined;
    const parsed = new URL(url);
    const found = origins.find((o) => o.origin === parsed.origin);
    return found ? { provider: found.provider, host: found.host, path: parsed.pathname } : undefined;
  };
  const handle = (provider: ProviderId, host: string, req: SimRequest) =>
    simulator.handle({
      provider,
      host,
      req,
      namespace: fuzzNamespace,
      url: (h, p) => `${simulator.providers.get(provider)!.hosts[h]}${p}`,
      resolveOwn,
    });
  const toReq = (wire: WireRequest): SimRequest => ({
    method: wire.method,
    path: wire.path,
    query: new URLSearchParams(wire.query),
    headers: { ...wire.headers },
    body: wire.body,
  });
  return {
    name: "in-process",
    simulator,
    inputs: { images: await goodImages(), badImages: await badImages() },
    send: (provider, host, wire) => handle(provider, host, toReq(wire)),
    async sendUrl(method, url, headers, body = new Uint8Array()) {
      const own = resolveOwn(url);
      if (!own) throw new Error(`Failed to send to ${url}: not a simulator URL.`);
      const parsed = new URL(url);
      return handle(
        own.provider,
        own.host,
        toReq({ method, path: own.path, query: parsed.search.slice(1), headers, body }),
      );
    },
    healthy: async () => true,
    close: async () => {},
  };
}

/** The standalone server on a free loopback port, reached with node:http (raw paths, no normalising). */
export async function httpTransport(
  options: { webhookUrl?: string } = {},
): Promise<FuzzTransport & { server: MockServer }> {
  const server = await startMockServer({
    port: 0,
    latency: "none",
    seed: 7,
    settings: { "onemin.rateLimitPerMinute": "0" },
  });
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const send = (
    method: string,
    url: URL | string,
    rawPath: string | undefined,
    headers: Record<string, string>,
    body: Uint8Array,
  ) => rawRequest(agent, method, url, rawPath, { ...headers, "x-mock-namespace": fuzzNamespace }, body);
  return {
    name: "http",
    server,
    inputs: {
      images: await goodImages(),
      badImages: await badImages(),
      ...(options.webhookUrl ? { webhookUrl: options.webhookUrl } : {}),
    },
    send(provider, host, wire) {
      const base = server.urls[`${provider}.${host}`];
      if (!base) throw new Error(`Failed to send: the server has no ${provider}.${host}.`);
      const url = new URL(base);
      const raw = `${url.pathname}${wire.path}${wire.query ? `?${wire.query}` : ""}`;
      return send(wire.method, url, raw, wire.headers, wire.body);
    },
    sendUrl: (method, url, headers, body = new Uint8Array()) => send(method, url, undefined, headers, body),
    async healthy() {
      const answer = await rawRequest(
        agent,
        "GET",
        `${server.url}/__admin/health`,
        undefined,
        {},
        new Uint8Array(),
      );
      return answer.status === 200;
    },
    async close() {
      agent.destroy();
      await server.close(1_000);
    },
  };
}

/** One HTTP exchange as a SimResponse (for the spec checker); bounded in time and size. */
export function rawRequest(
  agent: Agent | undefined,
  method: string,
  target: URL | string,
  rawPath: string | undefined,
  headers: Record<string, string>,
  body: Uint8Array,
  timeoutMs = 15_000,
): Promise<SimResponse> {
  const url = typeof target === "string" ? new URL(target) : target;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: rawPath ?? `${url.pathname}${url.search}`,
        headers: { ...headers, "content-length": String(body.byteLength) },
      },
      (res) => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(res.headers))
          if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(", ") : value;
        const type = responseHeaders["content-type"] ?? "";
        if (type.startsWith("text/event-stream")) {
          // A status stream runs until the task ends: its headers are the answer here.
          res.destroy();
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            body: { kind: "stream", chunks: (async function* () {})() },
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          clearTimeout(timer);
          const data = Buffer.concat(chunks);
          let simBody: SimBody;
          if (data.length === 0) simBody = { kind: "empty" };
          else if (/json|^text\/|xml/.test(type)) simBody = { kind: "text", value: data.toString("utf8") };
          else simBody = { kind: "bytes", value: new Uint8Array(data) };
          resolve({ status: res.statusCode ?? 0, headers: responseHeaders, body: simBody });
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`No answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  });
}
