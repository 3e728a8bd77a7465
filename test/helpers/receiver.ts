/**
 * A webhook receiver on loopback for the tests: records every request it gets (path, headers,
 * raw body) and answers 200, or what `answer` says.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  /** The path and query the request was sent to. */
  path: string;
  /** Header names in lower case; a header sent more than once has its values joined with ",". */
  headers: Record<string, string>;
  /** The body as received, decoded as UTF-8. */
  body: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>`: add any path. */
  url: string;
  /** Every request so far, in arrival order. Clear it with `received.length = 0`. */
  received: ReceivedRequest[];
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** The status to answer the n-th request recorded since `received` was last cleared (0-based). */
  answer?: (n: number, request: ReceivedRequest) => number;
}

function flat(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : String(v)]),
  );
}

export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const request = {
        path: req.url ?? "",
        headers: flat(req.headers),
        body: Buffer.concat(chunks).toString("utf8"),
      };
      const n = received.length;
      received.push(request);
      res.writeHead(options.answer?.(n, request) ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
