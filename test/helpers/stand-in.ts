/**
 * A stand-in provider on loopback for client tests: answers each request with what `answer`
 * returns (JSON or bytes), and records what it got. Documented response bodies go through it
 * verbatim, so the client reads exactly what a provider's document shows.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandInRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
}

export type StandInAnswer =
  | { status?: number; json: unknown; headers?: Record<string, string> }
  | { status?: number; bytes: Uint8Array; contentType: string };

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  url: string;
  requests: StandInRequest[];
  close(): Promise<void>;
}

export async function startStandIn(
  answer: (request: StandInRequest, url: string) => StandInAnswer | Promise<StandInAnswer>,
): Promise<StandIn> {
  const requests: StandInRequest[] = [];
  let base = "";
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? "GET",
      path: req.url ?? "/",
      headers: req.headers,
      body: Buffer.concat(chunks),
    };
    requests.push(request);
    const reply = await answer(request, base);
    if ("json" in reply) {
      res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(reply.status ?? 200, { "content-type": reply.contentType });
      res.end(reply.bytes);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
