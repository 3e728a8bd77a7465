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
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import type { ProviderId } from "../engine/faults.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import type { Dispatch } from "../engine/simulator.ts";
import { namespaceHeader } from "../provider-hosts.ts";
import type { SimulatedTarget } from "../server/serve-simulated.ts";
import { badRequest, refusal, writeOnResponse, writeOnSocket } from "./answers.ts";
import { defaultCaDir, type LocalCa, loadOrCreateCa } from "./ca.ts";
import { type SimulatedHost, SimulatedHosts } from "./hosts.ts";
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

const connectionEstablished = "HTTP/1.1 200 Connection Established\r\n\r\n";

export async function startProxy(options: ProxyOptions, host: ProxyHost): Promise<HttpsProxy> {
  const ca: LocalCa = await loadOrCreateCa(options.caDir ?? defaultCaDir());
  const leaves = new LeafCertificates(ca);
  const hosts = new SimulatedHosts(host.definitions);
  const passthrough = new Passthrough(options.passthrough ?? []);
  const resolveOwn = hosts.resolver(host.resolveOwn);
  const handshakeMs = options.handshakeMs ?? 10_000;
  /** Decrypted tunnels, by their TLS socket: which simulated host each one reaches, for which namespace. */
  const intercepted = new WeakMap<object, { target: SimulatedHost; namespace: string | undefined }>();
  const sockets = new Set<Duplex>();
  const { timeouts } = host;

  const server = createServer({
    keepAliveTimeout: timeouts.keepAliveMs,
    headersTimeout: Math.min(timeouts.headersMs, timeouts.requestMs),
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(timeouts.headersMs / 4))),
  });
  server.on("connection", (socket: Duplex) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  const serveSimulated = (
    req: IncomingMessage,
    res: ServerResponse,
    target: SimulatedHost,
    path: string,
    namespace: string | undefined,
  ) => {
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
    const simulated = { located, query, url: hosts.urlFor(target.provider), resolveOwn };
    return host.serve(req, res, simulated, performance.now());
  };

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const rawUrl = req.url ?? "/";
    const tunnelled = intercepted.get(req.socket);
    if (tunnelled) {
      // Inside a decrypted tunnel: origin-form, or (rarely) absolute-form for the same host.
      const path = rawUrl.startsWith("/") ? rawUrl : URL.canParse(rawUrl) ? pathOf(new URL(rawUrl)) : "/";
      void serveSimulated(req, res, tunnelled.target, path, tunnelled.namespace);
      return;
    }
    if (!/^https?:\/\//i.test(rawUrl) || !URL.canParse(rawUrl)) {
      writeOnResponse(
        res,
        badRequest(
          `this is an HTTP proxy; send absolute URLs or CONNECT. Set HTTPS_PROXY=${info.url} and trust ${ca.certPath}.`,
        ),
      );
      return;
    }
    const target = new URL(rawUrl);
    const hostname = bare(target.hostname);
    const simulated = hosts.lookup(hostname);
    if (simulated && (target.port === "" || target.port === defaultPort(target.protocol))) {
      void serveSimulated(req, res, simulated, pathOf(target), namespaceFromCredentials(req));
      return;
    }
    const port = Number(target.port || defaultPort(target.protocol));
    if (target.protocol === "http:" && passthrough.allows(hostname, port)) {
      passthrough.forward(req, res, target);
      return;
    }
    writeOnResponse(res, refusal(target.host, hostname, hosts.names()));
  });

  server.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    const authority = parseAuthority(req.url ?? "");
    if (!authority) {
      writeOnSocket(socket, badRequest(`CONNECT needs host:port, not "${(req.url ?? "").slice(0, 100)}".`));
      return;
    }
    const { hostname, port } = authority;
    const simulated = hosts.lookup(hostname);
    if (simulated && port === 443) {
      void intercept(socket, head, hostname, simulated, namespaceFromCredentials(req));
      return;
    }
    if (passthrough.allows(hostname, port)) {
      passthrough.tunnel(socket, head, hostname, port, sockets);
      return;
    }
    writeOnSocket(socket, refusal(`${hostname}:${port}`, hostname, hosts.names()));
  });

  /** Answers the CONNECT, then speaks TLS as `hostname` and hands the clear stream to the server. */
  async function intercept(
    socket: Duplex,
    head: Buffer,
    hostname: string,
    target: SimulatedHost,
    namespace: string | undefined,
  ) {
    let context: Awaited<ReturnType<LeafCertificates["contextFor"]>>;
    try {
      context = await leaves.contextFor(hostname);
    } catch (error) {
      writeOnSocket(socket, badRequest(`no certificate for ${hostname}: ${(error as Error).message}`));
      return;
    }
    if (socket.destroyed) return;
    socket.write(connectionEstablished);
    if (head.length > 0) socket.unshift(head);
    const tls = new TLSSocket(socket as import("node:net").Socket, {
      isServer: true,
      secureContext: context,
      ALPNProtocols: ["http/1.1"],
      // A hello naming another host than the CONNECT did is refused: one tunnel, one host.
      SNICallback: (servername, done) =>
        bare(servername.toLowerCase()) === hostname
          ? done(null, context)
          : done(new Error(`SNI ${servername} does not match the CONNECT target ${hostname}`)),
    });
    const handshake = setTimeout(() => tls.destroy(), handshakeMs);
    handshake.unref();
    tls.once("close", () => {
      clearTimeout(handshake);
      socket.destroy();
    });
    tls.on("error", () => tls.destroy());
    intercepted.set(tls, { target, namespace });
    // Handed to the server once secure, so its header timeout counts from the first request
    // byte, not from a handshake that has its own limit.
    tls.once("secure", () => {
      clearTimeout(handshake);
      server.emit("connection", tls);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const info: ProxyInfo = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caCertPath: ca.certPath,
    caCertPem: ca.certPem,
    caBundlePath: ca.bundlePath,
    hosts: hosts.names(),
    passthrough: passthrough.list(),
  };

  return {
    ...info,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/**
 * The namespace an unchanged client picks through its proxy URL's user name
 * (`HTTPS_PROXY=http://<namespace>@127.0.0.1:8080`), which clients send as Basic credentials.
 */
function namespaceFromCredentials(req: IncomingMessage): string | undefined {
  const header = req.headers["proxy-authorization"];
  const basic = typeof header === "string" ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim()) : null;
  if (!basic) return undefined;
  const user = Buffer.from(basic[1]!, "base64").toString("utf8").split(":")[0] ?? "";
  let name = user;
  try {
    name = decodeURIComponent(user);
  } catch {
    // Kept as sent.
  }
  return name.length > 0 && name.length <= 200 ? name : undefined;
}

/** `host:port` of a CONNECT line (brackets around IPv6), or undefined when malformed. */
function parseAuthority(text: string): { hostname: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+):(\d{1,5})$/i.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { hostname: bare(match[1]!.toLowerCase()), port };
}

/** A host name without IPv6 brackets or the trailing dot of a fully qualified name. */
function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}
