/**
 * The standalone simulator server: one node:http port for every provider (plus optional
 * per-provider ports), the admin API and dashboard under /__admin. A thin transport: it maps
 * addresses and bytes; every provider behaviour comes from the simulator.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ProviderId } from "../engine/faults.ts";
import type { Simulator } from "../engine/simulator.ts";
import { openStateStore } from "../engine/store/open-store.ts";
import type { StateStore } from "../engine/store/state-store.ts";
import { isLoopbackUrl } from "../engine/webhooks.ts";
import { namespaceHeader } from "../provider-hosts.ts";
import { type HttpsProxy, type ProxyOptions, startProxy } from "../proxy/proxy.ts";
import { type CreateSimulatorOptions, createSimulator } from "../simulator.ts";
import { AddressMap } from "./address-map.ts";
import { type AllowedHosts, hostAllowlist } from "./host-check.ts";
import { ProxyTargets } from "./proxy-targets.ts";
import { type Listener, type Routing, requestHandler } from "./request-router.ts";
import { answerFailure, type ServeContext, serveSimulated } from "./serve-simulated.ts";
import { SharedRates } from "./shared-rates.ts";

export { namespaceHeader };

export interface ProviderPort {
  provider: ProviderId;
  host?: string;
  port: number;
}

export interface MockServerOptions extends Omit<CreateSimulatorOptions, "store"> {
  simulator?: Simulator;
  /**
   * State shared with other replicas: a `redis://host:port/db` URL (opened here, closed with the
   * server) or an open store. Default: everything stays in this process.
   */
  store?: string | StateStore;
  port?: number;
  hostname?: string;
  ports?: ProviderPort[];
  /** Token for /__admin; required when binding beyond loopback. */
  adminToken?: string;
  /**
   * Host names served besides loopback names, IP addresses and `hostname` (e.g. a
   * docker-compose service name; `.example.test` allows a domain and its subdomains). Others get
   * 403, against DNS rebinding. "all" turns the check off.
   */
  allowedHosts?: AllowedHosts;
  /**
   * The origin clients reach the main port at, when that is not this process (replicas behind a
   * load balancer, `http://lb.internal:8080`): URLs handed back (status, results) use it.
   */
  publicUrl?: string;
  /** One JSON line per request; off when undefined. */
  log?: (line: string) => void;
  /** Connection timeouts against slow or stalled clients (slowloris); defaults below. */
  timeouts?: ServerTimeouts;
  /** Also run the HTTPS proxy (any client reaches the simulators at the real hosts); see mocks/proxy/. */
  proxy?: ProxyOptions;
}

/** Every field in ms. A connection that breaks one is answered 408 by node or closed. */
export interface ServerTimeouts {
  /** Until the request's headers are complete (default 10 s). */
  headersMs?: number;
  /** Until the whole request, body included, is received (default 120 s). */
  requestMs?: number;
  /** Longest pause between two body chunks (default 30 s); then the connection is closed. */
  bodyIdleMs?: number;
  /** How long an idle keep-alive connection stays open (default 5 s). */
  keepAliveMs?: number;
}

export const defaultTimeouts: Required<ServerTimeouts> = {
  headersMs: 10_000,
  requestMs: 120_000,
  bodyIdleMs: 30_000,
  keepAliveMs: 5_000,
};

export interface MockServer {
  simulator: Simulator;
  url: string;
  /** Base URL of every provider host, e.g. `freepik.api`. */
  urls: Record<string, string>;
  providerPorts: Array<ProviderPort & { url: string }>;
  /** The HTTPS proxy, when `proxy` was given. */
  proxy?: HttpsProxy;
  /** Stops accepting, lets in-flight requests finish, and reports webhooks still pending. */
  close(graceMs?: number): Promise<{ pendingWebhooks: number }>;
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const hostname = options.hostname ?? "127.0.0.1";
  refuseUnguardedAdmin(hostname, options.adminToken);
  const publicBase = options.publicUrl === undefined ? undefined : publicOrigin(options.publicUrl);
  const { simulator, ownStore } = await openSimulator(options);
  // The dashboard's rate charts then sum every replica's traffic.
  const sharedRates = simulator.store ? new SharedRates(simulator.store, simulator.rates) : undefined;
  const timeouts = serverTimeouts(options.timeouts);
  const listeners: Listener[] = [];
  const sockets = new Set<Socket>();
  const serve: ServeContext = { simulator, bodyIdleMs: timeouts.bodyIdleMs, log: options.log };
  const routing: Routing = {
    serve,
    hostAllowed: hostAllowlist(hostname, options.allowedHosts),
    adminToken: options.adminToken,
    summary: () => summary(),
    proxyTargets: new ProxyTargets(simulator.providers),
    locateOwn: (target) =>
      listeners.find((l) => target.href.startsWith(`${l.base}/`))?.map.locate(target.pathname),
    resolveOwn: ownUrlResolver(listeners),
  };

  const listen = async (port: number, only?: { provider: ProviderId; host?: string }) => {
    const { server, base } = await openPort(port, hostname, timeouts, sockets);
    const listener: Listener = {
      server,
      map: new AddressMap(simulator.providers, only),
      base,
      publicBase: base,
    };
    server.on("request", requestHandler(routing, listener));
    listeners.push(listener);
    return listener;
  };

  const main = await listen(options.port ?? 4010);
  if (publicBase) main.publicBase = publicBase;
  const providerPorts: MockServer["providerPorts"] = [];
  for (const entry of options.ports ?? []) {
    const listener = await listen(entry.port, {
      provider: entry.provider,
      ...(entry.host ? { host: entry.host } : {}),
    });
    providerPorts.push({ ...entry, url: listener.base });
  }
  const proxy = options.proxy ? await startOwnProxy(options.proxy, routing, timeouts, listeners) : undefined;

  function summary() {
    return {
      url: main.base,
      urls: main.map.baseUrls(main.base),
      providerPorts: providerPorts.map((p) => ({ provider: p.provider, url: p.url })),
      ...(proxy ? { proxy } : {}),
    };
  }

  return {
    simulator,
    url: main.base,
    urls: main.map.baseUrls(main.base),
    providerPorts,
    ...(proxy ? { proxy } : {}),
    async close(graceMs = 5_000) {
      const pendingWebhooks = simulator
        .namespaces()
        .reduce((n, name) => n + simulator.namespace(name).webhooks.inFlight, 0);
      await closePorts(listeners, sockets, graceMs, proxy);
      await sharedRates?.stop();
      await simulator.close();
      await ownStore?.close();
      return { pendingWebhooks };
    },
  };
}

/** Beyond loopback, the admin API (which can change every answer) must ask for a token. */
function refuseUnguardedAdmin(hostname: string, adminToken: string | undefined): void {
  if (isLoopbackUrl(new URL(`http://${hostname.includes(":") ? `[${hostname}]` : hostname}`)) || adminToken)
    return;
  throw new Error(
    `Failed to start: binding to ${hostname} exposes the admin API beyond this machine. Set --admin-token (or UPSCALE_HARNESS_ADMIN_TOKEN), or bind to 127.0.0.1.`,
  );
}

/** The given simulator, or a new one on the given store; ready once replicas agree on secrets. */
async function openSimulator(options: MockServerOptions) {
  // "memory" keeps today's single-process state; only a shared store is opened.
  const ownStore =
    typeof options.store === "string" && !["", "memory"].includes(options.store)
      ? await openStateStore(options.store)
      : undefined;
  const store = ownStore ?? (typeof options.store === "object" ? options.store : undefined);
  const { store: _spec, ...simulatorOptions } = options;
  const simulator =
    options.simulator ?? createSimulator({ ...simulatorOptions, ...(store ? { store } : {}) });
  // Replicas agree on their secrets before any link is signed (at once without a shared store).
  await simulator.ready();
  return { simulator, ownStore };
}

function serverTimeouts(given: ServerTimeouts | undefined): Required<ServerTimeouts> {
  const timeouts = { ...defaultTimeouts, ...given };
  // node refuses a headers timeout longer than the request timeout.
  timeouts.headersMs = Math.min(timeouts.headersMs, timeouts.requestMs);
  return timeouts;
}

/** Maps a URL this server handed out (on any port, public or not) back to its provider route. */
function ownUrlResolver(listeners: Listener[]): Routing["resolveOwn"] {
  return (url: string) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    for (const listener of listeners) {
      if (!url.startsWith(`${listener.base}/`) && !url.startsWith(`${listener.publicBase}/`)) continue;
      const located = listener.map.locate(parsed.pathname);
      if (located) return { provider: located.provider, host: located.host, path: located.path };
    }
    return undefined;
  };
}

/** One listening node:http server with the slow-client timeouts; its sockets are tracked for close. */
async function openPort(
  port: number,
  hostname: string,
  timeouts: Required<ServerTimeouts>,
  sockets: Set<Socket>,
): Promise<{ server: Server; base: string }> {
  const server = createServer({
    keepAliveTimeout: timeouts.keepAliveMs,
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    // node checks the two timeouts above on this interval (30 s by default, far too coarse).
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(timeouts.headersMs / 4))),
  });
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
  return { server, base: `http://${displayHost}:${actual}` };
}

/** The HTTPS proxy, serving the same simulators; a failed start closes the ports already open. */
function startOwnProxy(
  options: ProxyOptions,
  routing: Routing,
  timeouts: Required<ServerTimeouts>,
  listeners: Listener[],
): Promise<HttpsProxy> {
  const { serve } = routing;
  return startProxy(options, {
    definitions: serve.simulator.providers,
    serve: (req, res, target, started) =>
      serveSimulated(serve, req, res, target, started).catch((error) =>
        answerFailure(res, error, req.url ?? "/", serve.log),
      ),
    resolveOwn: routing.resolveOwn,
    timeouts,
  }).catch((error) => {
    // The listeners are already open: close them, so a failed start leaves nothing behind.
    for (const listener of listeners) listener.server.close();
    throw error;
  });
}

/** Stops accepting; in-flight requests get `graceMs` to finish, then hung ones (the timeout scenario) are cut. */
async function closePorts(
  listeners: Listener[],
  sockets: Set<Socket>,
  graceMs: number,
  proxy: HttpsProxy | undefined,
): Promise<void> {
  const closed = Promise.all(
    listeners.map(
      (l) =>
        new Promise<void>((resolve) => {
          l.server.close(() => resolve());
          l.server.closeIdleConnections();
        }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
  clearTimeout(timer);
  for (const socket of sockets) socket.destroy();
  await Promise.all([closed, proxy?.close()]);
}

/** The origin of `--public-url`, or a clear refusal of one that is not an http(s) URL. */
function publicOrigin(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || !/^https?:$/.test(parsed.protocol))
    throw new Error(
      `Failed to read the public URL "${url}": give an http(s) origin, e.g. http://lb.internal:8080.`,
    );
  return parsed.origin;
}
