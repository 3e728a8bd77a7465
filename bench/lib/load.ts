/**
 * HTTP load with autocannon's programmatic API: a fixed number of connections for a fixed time,
 * counting 2xx answers only as throughput (non-2xx and errors are reported beside it).
 */
import { createRequire } from "node:module";

interface AutocannonResult {
  duration: number;
  "2xx": number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
}

interface AutocannonClient {
  setHeaders(headers: Record<string, string>): void;
}

interface AutocannonInstance {
  on(event: "response", listener: (client: AutocannonClient, status: number) => void): void;
  stop(): void;
}

type Autocannon = (
  options: Record<string, unknown>,
  done: (error: Error | null, result: AutocannonResult) => void,
) => AutocannonInstance;

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as Autocannon;

export interface LoadSpec {
  url: string;
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string | Buffer;
  /**
   * Replace the headers after every `every` responses of one connection (block n gets
   * `headers(n)`), e.g. to move submits to a fresh namespace before the task cap is reached.
   */
  rotate?: { every: number; headers: (block: number) => Record<string, string> };
}

export interface LoadResult {
  /** 2xx answers and their rate: the only throughput counted. */
  ok: number;
  okPerSec: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  seconds: number;
  p50Ms: number;
  p99Ms: number;
  codes: Record<string, number>;
}

export function runLoad(
  spec: LoadSpec,
  options: { connections: number; seconds: number },
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? "GET",
        headers: spec.rotate ? spec.rotate.headers(0) : (spec.headers ?? {}),
        ...(spec.body !== undefined ? { body: spec.body } : {}),
        connections: options.connections,
        duration: options.seconds,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const codes: Record<string, number> = {};
        for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
          codes[code] = Number(stat.count);
        resolve({
          ok: result["2xx"],
          okPerSec: result["2xx"] / result.duration,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          seconds: result.duration,
          p50Ms: result.latency.p50,
          p99Ms: result.latency.p99,
          codes,
        });
      },
    );
    const rotate = spec.rotate;
    if (rotate) {
      const counts = new WeakMap<AutocannonClient, number>();
      instance.on("response", (client) => {
        const count = (counts.get(client) ?? 0) + 1;
        counts.set(client, count);
        if (count % rotate.every === 0) client.setHeaders(rotate.headers(count / rotate.every));
      });
    }
  });
}
