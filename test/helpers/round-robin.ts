/**
 * A load balancer for the tests: an HTTP reverse proxy on loopback that hands each request to
 * the next target in turn and records which one served it.
 */
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobin {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** The index (into the targets) of each request's replica, in order. */
  served: number[];
  close(): Promise<void>;
}

/** `targets()` is asked per request, so replicas can be added once the balancer runs. */
export async function startRoundRobin(targets: () => string[]): Promise<RoundRobin> {
  const served: number[] = [];
  let next = 0;
  const server = createServer((req, res) => {
    const list = targets();
    const index = next++ % list.length;
    served.push(index);
    const target = new URL(list[index]!);
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
