/**
 * Hosts the user allowed through untouched (`--proxy-passthrough host[:port],…`): a CONNECT
 * becomes a plain byte tunnel (TLS stays end to end), an absolute-URI `http://` request is
 * forwarded. Nothing else ever leaves the machine.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { badGateway, writeOnResponse, writeOnSocket } from "./answers.ts";

/** A tunnel with no byte either way for this long is closed (both ends). */
const idleTunnelMs = 5 * 60_000;

/** Headers that describe one hop (RFC 9110 §7.6.1), never forwarded. */
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-authorization",
  "proxy-authenticate",
  "proxy-connection",
  "te",
  "trailer",
  "upgrade",
]);

export class Passthrough {
  /** Host name → allowed port, or `undefined` for any port. */
  readonly #allowed = new Map<string, Set<number> | undefined>();

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseEntry(entry);
      if (!parsed)
        throw new Error(
          `Failed to read --proxy-passthrough entry "${entry}": use host or host:port, e.g. example.com or 127.0.0.1:8443.`,
        );
      const ports = this.#allowed.get(parsed.host);
      if (parsed.port === undefined || (this.#allowed.has(parsed.host) && ports === undefined)) {
        this.#allowed.set(parsed.host, undefined);
      } else {
        this.#allowed.set(parsed.host, new Set([...(ports ?? []), parsed.port]));
      }
    }
  }

  /** The entries as given back, for the admin view. */
  list(): string[] {
    return [...this.#allowed].flatMap(([host, ports]) =>
      ports ? [...ports].map((p) => `${host}:${p}`) : [host],
    );
  }

  allows(hostname: string, port: number): boolean {
    if (!this.#allowed.has(hostname)) return false;
    const ports = this.#allowed.get(hostname);
    return ports === undefined || ports.has(port);
  }

  /** CONNECT to an allowed host: dial it, then relay bytes both ways until either side ends. */
  tunnel(client: Duplex, head: Buffer, hostname: string, port: number, sockets: Set<Duplex>): void {
    const upstream: Socket = connect({ host: hostname, port });
    sockets.add(upstream);
    let established = false;
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.once("connect", () => {
      established = true;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.setTimeout(idleTunnelMs, closeBoth);
    upstream.on("error", (error) => {
      if (established) closeBoth();
      else writeOnSocket(client, badGateway(`${hostname}:${port}`, error));
    });
    upstream.once("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on("error", closeBoth);
    client.once("close", () => upstream.destroy());
  }

  /** An absolute-URI request to an allowed `http://` host, forwarded with its body as it streams. */
  forward(req: IncomingMessage, res: ServerResponse, target: URL): void {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
    }
    const upstream = httpRequest(
      {
        host: target.hostname.replace(/^\[|\]$/g, ""),
        port: target.port || 80,
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers,
      },
      (answer) => {
        const answerHeaders: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (value !== undefined && !hopByHop.has(name)) answerHeaders[name] = value;
        }
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answerHeaders);
        answer.pipe(res);
        answer.on("error", () => res.destroy());
      },
    );
    upstream.on("error", (error) => writeOnResponse(res, badGateway(target.host, error)));
    res.once("close", () => upstream.destroy());
    req.pipe(upstream);
  }
}

/** `host`, `host:port`, `[v6]` or `[v6]:port`, lower-cased. */
function parseEntry(entry: string): { host: string; port?: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+)(?::(\d{1,5}))?$/i.exec(entry.trim());
  if (!match) return undefined;
  const host = match[1]!.toLowerCase().replace(/^\[|\]$/g, "");
  if (match[2] === undefined) return { host };
  const port = Number(match[2]);
  return port > 0 && port <= 65_535 ? { host, port } : undefined;
}
