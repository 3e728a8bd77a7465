/**
 * A real provider as a verification target: its credentials header, its hosts, and for fal a
 * loopback gateway that serves fal's hosts by name under one base URL (`/run`, `/queue`, `/rest`,
 * as the pact addresses them) and rewrites the host URLs in fal's answers to point back at it,
 * as the simulator's own URLs do.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderId } from "../../src/index.ts";
import { providerModules } from "../../src/providers/index.ts";

/** Each provider's real API origin: its module's first API host (fal's are served by realGateway). */
export const realHosts = Object.fromEntries(
  Object.values(providerModules).map((m) => [m.id, m.defaultBases[m.apiHosts[0]!]!]),
) as Record<ProviderId, string>;

/** fal's hosts by name, as the pact addresses them under one base URL. */
const falHosts = providerModules.fal.defaultBases;

/** The headers (lower case, as Express holds them) that carry `key` to `provider`. */
export function authHeadersOf(provider: ProviderId, key: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(providerModules[provider].authHeaders(key)).map(([name, value]) => [
      name.toLowerCase(),
      value,
    ]),
  );
}

export interface Gateway {
  url: string;
  upstream: string;
  close(): Promise<void>;
}

/** Where the pact of `provider` is replayed against the real service. */
export async function realGateway(provider: ProviderId, baseUrl?: string): Promise<Gateway> {
  if (provider !== "fal" || baseUrl) {
    const url = (baseUrl ?? realHosts[provider]).replace(/\/+$/, "");
    return { url, upstream: url, close: async () => {} };
  }
  const server = createServer(async (req, res) => {
    const [, host, ...rest] = (req.url ?? "/").split("/");
    const origin = falHosts[host ?? ""];
    if (!origin) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `No fal host "${host}": use /run, /queue, /rest or /media.` }));
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => !["host", "connection", "content-length"].includes(name))
        .map(([name, value]) => [name, String(value)]),
    );
    try {
      const answer = await fetch(`${origin}/${rest.join("/")}`, {
        method: req.method ?? "GET",
        headers,
        ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}),
      });
      let text = await answer.text();
      for (const [name, hostOrigin] of Object.entries(falHosts))
        text = text.replaceAll(hostOrigin, `${self}/${name}`);
      res.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
        ...(answer.headers.get("retry-after") ? { "retry-after": answer.headers.get("retry-after")! } : {}),
      });
      res.end(text);
    } catch (error) {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: `Failed to reach ${origin}: ${(error as Error).message}` }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    upstream: "fal.run, queue.fal.run, rest.fal.ai (through a loopback gateway)",
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
