/**
 * The standalone simulator server: one node:http port for every provider (plus optional
 * per-provider ports), the admin API and dashboard under /__admin. A thin transport: it maps
 * addresses and bytes; every provider behaviour comes from the simulator.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderId } from "../engine/faults.ts";
import type { Simulator } from "../engine/simulator.ts";
import { isLoopbackUrl } from "../engine/webhooks.ts";
import { type CreateSimulatorOptions, createSimulator } from "../simulator.ts";
import { AddressMap } from "./address-map.ts";
import { handleAdmin } from "./admin-api.ts";
import { answerPreflight, withCors } from "./cors.ts";
import { readBody, toSimRequest, writeSimResponse } from "./node-adapter.ts";

export const namespaceHeader = "x-mock-namespace";
/** The header @fal-ai/client sends through its `proxyUrl` with the real target. */
export const falTargetHeader = "x-fal-target-url";

export interface ProviderPort {
  provider: ProviderId;
  host?: string;
  port: number;
}

export interface MockServerOptions extends CreateSimulatorOptions {
  simulator?: Simulator;
  port?: number;
  hostname?: string;
  ports?: ProviderPort[];
  /** Token for /__admin; required when binding beyond loopback. */
  adminToken?: string;
  /** One JSON line per request; off when undefined. */
  log?: (line: string) => void;
}

export interface MockServer {
  simulator: Simulator;
  url: string;
  /** Base URL of every provider host, e.g. `freepik.api`. */
  urls: Record<string, string>;
  providerPorts: Array<ProviderPort & { url: string }>;
  /** Stops accepting, lets in-flight requests finish, and reports webhooks still pending. */
  close(graceMs?: number): Promise<{ pendingWebhooks: number }>;
}

interface Listener {
  server: Server;
  map: AddressMap;
  base: string;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  if (
    !isLoopbackUrl(new URL(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}`)) &&
    !options.adminToken
  ) {
    throw new Error(
      `Failed to start: binding to ${hostname} exposes the admin API beyond this machine. Set --admin-token (or UPSCALE_HARNESS_ADMIN_TOKEN), or bind to 127.0.0.1.`,
    );
  }
  const simulator = options.simulator ?? createSimulator(options);
  const listeners: Listener[] = [];
  const sockets = new Set<import("node:net").Socket>();

  const resolveOwn = (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    for (const listener of listeners) {
      if (!url.startsWith(`${listener.base}/`)) continue;
      const located = listener.map.locate(parsed.pathname);
      if (located) return { provider: located.provider, host: located.host, path: located.path };
    }
    return undefined;
  };

  const realOrigins = new Map<string, { provider: ProviderId; host: string }>();
  for (const [provider, definition] of simulator.providers) {
    for (const [host, origin] of Object.entries(definition.hosts))
      realOrigins.set(origin, { provider, host });
  }

  const handler = (listener: Listener) => async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    let path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    let query = queryAt < 0 ? "" : rawUrl.slice(queryAt + 1);
    try {
      if (path.startsWith("/__admin")) {
        await handleAdmin(req, res, {
          simulator,
          path,
          query,
          adminToken: options.adminToken,
          server: summary(),
        });
        return;
      }
      if (answerPreflight(req, res)) return;
      // A proxied fal call names its real target in a header; route by that target instead.
      let located = undefined as ReturnType<AddressMap["locate"]>;
      const target = req.headers[falTargetHeader];
      if (typeof target === "string") {
        const parsed = URL.canParse(target) ? new URL(target) : undefined;
        const real = parsed && realOrigins.get(parsed.origin);
        if (real && parsed) {
          located = { ...real, path: parsed.pathname };
          path = parsed.pathname;
          query = parsed.search.slice(1);
        } else if (parsed) {
          const own = listeners.find((l) => target.startsWith(`${l.base}/`));
          if (own) {
            located = own.map.locate(parsed.pathname);
            query = parsed.search.slice(1);
          }
        }
      } else {
        located = listener.map.locate(path);
      }
      if (!located) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(
          JSON.stringify({
            error: `No simulated provider serves ${path}. Providers live under ${Object.values(listener.map.baseUrls("")).join(", ")}; the admin API is under /__admin.`,
          }),
        );
        return;
      }
      const namespace = located.namespace ?? (req.headers[namespaceHeader] as string | undefined);
      const limit = simulator.services.limits.maxJsonBytes;
      const body = await readBody(req, limit);
      const definition = simulator.providers.get(located.provider)!;
      if (!body.ok) {
        if (body.reason === "aborted") return;
        const route = {
          host: located.host,
          method: req.method ?? "POST",
          path: located.path,
          operation: "tooLarge",
          phase: "submit" as const,
          handle: () => ({ status: 0, headers: {}, body: { kind: "empty" as const } }),
        };
        const answer = definition.faultResponse(
          { kind: "error", status: 413, message: `The request body is larger than ${limit} bytes.` },
          { route, req: toSimRequest(req, located.path, query, new Uint8Array()) },
        );
        res.setHeader("connection", "close");
        await writeSimResponse(res, withCors(answer), simulator.namespace(namespace).clock);
        return;
      }
      const here = located;
      const answer = await simulator.handle({
        provider: here.provider,
        host: here.host,
        req: toSimRequest(req, here.path, query, body.body),
        ...(namespace ? { namespace } : {}),
        url: (host, p) => listener.map.url(listener.base, here.provider, host, p, here.namespace),
        resolveOwn,
      });
      await writeSimResponse(res, withCors(answer), simulator.namespace(namespace).clock);
      options.log?.(
        JSON.stringify({
          level: "info",
          time: new Date().toISOString(),
          namespace: namespace ?? "default",
          provider: here.provider,
          method: req.method,
          path: rawUrl.length > 200 ? `${rawUrl.slice(0, 200)}…` : rawUrl,
          status: answer.transport && answer.status === 0 ? answer.transport.kind : answer.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
        }),
      );
    } catch (error) {
      // A bug must not take the server down; say so in the log and answer 500.
      options.log?.(
        JSON.stringify({ level: "error", path: rawUrl, error: (error as Error).stack ?? String(error) }),
      );
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `The simulator failed on this request: ${(error as Error).message}` }));
    }
  };

  const listen = async (port: number, only?: { provider: ProviderId; host?: string }): Promise<Listener> => {
    const server = createServer({ keepAliveTimeout: 5_000, headersTimeout: 10_000, requestTimeout: 120_000 });
    server.on("connection", (socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, hostname, () => resolve());
    });
    const actual = (server.address() as AddressInfo).port;
    const displayHost = hostname.includes(":")
      ? `[${hostname}]`
      : hostname === "0.0.0.0"
        ? "127.0.0.1"
        : hostname;
    const listener: Listener = {
      server,
      map: new AddressMap(simulator.providers, only),
      base: `http://${displayHost}:${actual}`,
    };
    server.on("request", handler(listener));
    listeners.push(listener);
    return listener;
  };

  const main = await listen(options.port ?? 4010);
  const providerPorts: MockServer["providerPorts"] = [];
  for (const entry of options.ports ?? []) {
    const listener = await listen(entry.port, {
      provider: entry.provider,
      ...(entry.host ? { host: entry.host } : {}),
    });
    providerPorts.push({ ...entry, url: listener.base });
  }

  function summary() {
    return {
      url: main.base,
      urls: main.map.baseUrls(main.base),
      providerPorts: providerPorts.map((p) => ({ provider: p.provider, url: p.url })),
    };
  }

  return {
    simulator,
    url: main.base,
    urls: main.map.baseUrls(main.base),
    providerPorts,
    async close(graceMs = 5_000) {
      const pendingWebhooks = simulator
        .namespaces()
        .reduce((n, name) => n + simulator.namespace(name).webhooks.inFlight, 0);
      const closed = Promise.all(
        listeners.map(
          (l) =>
            new Promise<void>((resolve) => {
              l.server.close(() => resolve());
              l.server.closeIdleConnections();
            }),
        ),
      );
      // In-flight requests get `graceMs` to finish; hung ones (the timeout scenario) are cut.
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await closed;
      return { pendingWebhooks };
    },
  };
}
