/**
 * The HTTPS proxy: an HTTP forward proxy on loopback that lets any client, in any language,
 * reach the simulators at the providers' real hosts with only two environment settings
 * (HTTPS_PROXY and a CA bundle). A CONNECT to a simulated host is answered with TLS under a leaf
 * certificate from the local CA, and the decrypted requests go to the same simulator the server
 * runs; absolute-URI `http://` requests for those hosts likewise. Every other host is refused
 * unless allowed through untouched.
 *
 * One node:http server does it all: decrypted tunnels are handed to it as connections, so they
 * get its keep-alive, header and request timeouts like any other client.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { ProviderId } from "../engine/faults.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import type { Dispatch } from "../engine/simulator.ts";
import { namespaceHeader } from "../provider-hosts.ts";
import type { SimulatedTarget } from "../server/serve-simulated.ts";
import { bare, defaultPort, namespaceFromCredentials, parseAuthority, pathOf } from "./addresses.ts";
import { badRequest, refusal, writeOnResponse, writeOnSocket } from "./answers.ts";
import { defaultCaDir, type LocalCa, loadOrCreateCa } from "./ca.ts";
import { type SimulatedHost, SimulatedHosts } from "./hosts.ts";
import { type InterceptDeps, intercept } from "./intercept.ts";
import { LeafCertificates } from "./leaf-certs.ts";
import { Passthrough } from "./passthrough.ts";

export interface ProxyOptions {
  /** Port on 127.0.0.1 (0 picks a free one). */
  port: number;
  /** Where the CA is kept (default: the user's configuration directory). */
  caDir?: string;
  /** Hosts (`host` or `host:port`) tunnelled untouched; every other non-simulated host is refused. */
  passthrough?: string[];
  /** Until a tunnel's TLS handshake completes (default 10 s); then it is closed. */
  handshakeMs?: number;
}

/** What the admin API and the start-up banner tell about the proxy. */
export interface ProxyInfo {
  url: string;
  caCertPath: string;
  caCertPem: string;
  /** The CA followed by the public roots: for settings that replace a tool's roots. */
  caBundlePath: string;
  hosts: string[];
  passthrough: string[];
}

export interface HttpsProxy extends ProxyInfo {
  close(): Promise<void>;
}

/** What the proxy needs from the server it belongs to. */
export interface ProxyHost {
  definitions: ReadonlyMap<ProviderId, ProviderDefinition>;
  /** Answers one simulated request (the server's own path from a located request to the wire). */
  serve(req: IncomingMessage, res: ServerResponse, target: SimulatedTarget, started: number): Promise<void>;
  /** The server's resolver for its own URLs, tried after the real hosts. */
  resolveOwn: Dispatch["resolveOwn"];
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
}

/** Everything the proxy's handlers share. */
interface ProxyState extends InterceptDeps {
  host: ProxyHost;
  ca: LocalCa;
  hosts: SimulatedHosts;
  passthrough: Passthrough;
  /** The server's resolver, with the real hosts tried first. */
  resolveOwn: Dispatch["resolveOwn"];
  /** Open connections, destroyed on close so it does not wait for idle clients. */
  sockets: Set<Duplex>;
}

export async function startProxy(options: ProxyOptions, host: ProxyHost): Promise<HttpsProxy> {
  const ca: LocalCa = await loadOrCreateCa(options.caDir ?? defaultCaDir());
  const hosts = new SimulatedHosts(host.definitions);
  const passthrough = new Passthrough(options.passthrough ?? []);
  const state: ProxyState = {
    server: createProxyServer(host.timeouts),
    host,
    ca,
    leaves: new LeafCertificates(ca),
    hosts,
    passthrough,
    resolveOwn: hosts.resolver(host.resolveOwn),
    handshakeMs: options.handshakeMs ?? 10_000,
    intercepted: new WeakMap(),
    sockets: new Set<Duplex>(),
  };
  const { server, sockets } = state;
  server.on("connection", (socket: Duplex) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => onRequest(state, req, res));
  server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) =>
    onConnect(state, req, socket, head),
  );
  await listen(server, options.port);
  return {
    url: proxyUrl(server),
    caCertPath: ca.certPath,
    caCertPem: ca.certPem,
    caBundlePath: ca.bundlePath,
    hosts: hosts.names(),
    passthrough: passthrough.list(),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** One node:http server for plain requests, CONNECTs and decrypted tunnels alike. */
function createProxyServer(timeouts: ProxyHost["timeouts"]): Server {
  return createServer({
    keepAliveTimeout: timeouts.keepAliveMs,
    headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(timeouts.headersMs / 4))),
  });
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function proxyUrl(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A request inside a decrypted tunnel, or an absolute-URI `http://` request from a client. */
function onRequest(state: ProxyState, req: IncomingMessage, res: ServerResponse): void {
  const { hosts, passthrough } = state;
  const rawUrl = req.url ?? "/";
  const tunnelled = state.intercepted.get(req.socket);
  if (tunnelled) {
    // Inside a decrypted tunnel: origin-form, or (rarely) absolute-form for the same host.
    const path = rawUrl.startsWith("/") ? rawUrl : URL.canParse(rawUrl) ? pathOf(new URL(rawUrl)) : "/";
    void serveSimulated(state, req, res, tunnelled.target, path, tunnelled.namespace);
    return;
  }
  if (!/^https?:\/\//i.test(rawUrl) || !URL.canParse(rawUrl)) {
    writeOnResponse(
      res,
      badRequest(
        `this is an HTTP proxy; send absolute URLs or CONNECT. Set HTTPS_PROXY=${proxyUrl(state.server)} and trust ${state.ca.certPath}.`,
      ),
    );
    return;
  }
  const target = new URL(rawUrl);
  const hostname = bare(target.hostname);
  const simulated = hosts.lookup(hostname);
  if (simulated && (target.port === "" || target.port === defaultPort(target.protocol))) {
    void serveSimulated(state, req, res, simulated, pathOf(target), namespaceFromCredentials(req));
    return;
  }
  const port = Number(target.port || defaultPort(target.protocol));
  if (target.protocol === "http:" && passthrough.allows(hostname, port)) {
    passthrough.forward(req, res, target);
    return;
  }
  writeOnResponse(res, refusal(target.host, hostname, hosts.names()));
}

/** A CONNECT: intercepted for a simulated host, tunnelled when allowed, else refused. */
function onConnect(state: ProxyState, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  const { hosts, passthrough } = state;
  socket.on("error", () => socket.destroy());
  const authority = parseAuthority(req.url ?? "");
  if (!authority) {
    writeOnSocket(socket, badRequest(`CONNECT needs host:port, not "${(req.url ?? "").slice(0, 100)}".`));
    return;
  }
  const { hostname, port } = authority;
  const simulated = hosts.lookup(hostname);
  if (simulated && port === 443) {
    void intercept(state, socket, head, hostname, {
      target: simulated,
      namespace: namespaceFromCredentials(req),
    });
    return;
  }
  if (passthrough.allows(hostname, port)) {
    passthrough.tunnel(socket, head, hostname, port, state.sockets);
    return;
  }
  writeOnSocket(socket, refusal(`${hostname}:${port}`, hostname, hosts.names()));
}

/** Hands one request for a simulated host to the server, located as the server would locate it. */
function serveSimulated(
  state: ProxyState,
  req: IncomingMessage,
  res: ServerResponse,
  target: SimulatedHost,
  path: string,
  namespace: string | undefined,
): Promise<void> {
  const queryAt = path.indexOf("?");
  // The request's own namespace header wins over the one named in the proxy credentials.
  const fromProxy = namespace && req.headers[namespaceHeader] === undefined ? { namespace } : {};
  const located = {
    provider: target.provider,
    host: target.host,
    path: queryAt < 0 ? path : path.slice(0, queryAt),
    ...fromProxy,
  };
  const query = queryAt < 0 ? "" : path.slice(queryAt + 1);
  const simulated = {
    located,
    query,
    url: state.hosts.urlFor(target.provider),
    resolveOwn: state.resolveOwn,
  };
  return state.host.serve(req, res, simulated, performance.now());
}
