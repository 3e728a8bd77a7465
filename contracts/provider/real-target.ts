/**
 * A real provider as a verification target: its credentials header, its hosts, and for fal a
 * loopback gateway that serves fal's hosts by name under one base URL (`/run`, `/queue`, `/rest`,
 * as the pact addresses them) and rewrites the host URLs in fal's answers to point back at it,
 * as the simulator's own URLs do.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProviderId } from "../../src/index.ts";

export const realHosts: Record<ProviderId, string> = {
  ideogram: "https://api.ideogram.ai",
  chainhub: "https://api.chainhub.tech",
  fal: "https://queue.fal.run",
  onemin: "https://api.1min.ai",
  freepik: "https://api.freepik.com",
};

export const envKeys: Record<ProviderId, string> = {
  ideogram: "IDEOGRAM_API_KEY",
  chainhub: "CHAINHUB_API_KEY",
  fal: "FAL_KEY",
  onemin: "ONEMIN_API_KEY",
  freepik: "FREEPIK_API_KEY",
};

const falHosts: Record<string, string> = {
  run: "https://fal.run",
  queue: "https://queue.fal.run",
  rest: "https://rest.fal.ai",
  media: "https://v3.fal.media",
};

/** The header (lower case, as Express holds it) and value that carry `key` to `provider`. */
export function authHeaderOf(provider: ProviderId, key: string): [string, string] {
  switch (provider) {
    case "ideogram":
      return ["api-key", key];
    case "chainhub":
      return ["authorization", `Bearer ${key}`];
    case "fal":
      return ["authorization", `Key ${key}`];
    case "onemin":
      return ["api-key", key];
    case "freepik":
      return ["x-freepik-api-key", key];
  }
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
