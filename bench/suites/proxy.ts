/**
 * Suite `proxy`: what the HTTPS proxy costs. Freepik status polls against one simulator server
 * (a child process, `mock --proxy-port`), sent by the same load loop over keep-alive connections
 * either directly (HTTP to the server's `/freepik` prefix) or through the proxy at the real host
 * (CONNECT once per connection, then TLS). Rounds alternate which side goes first.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, type Dispatcher, ProxyAgent, request } from "undici";
import { startCli } from "../../scripts/lib/child.ts";
import type { SuiteResult } from "../lib/report.ts";
import { median } from "../lib/stats.ts";

export interface ProxyBenchOptions {
  seconds: number;
  rounds: number;
  connections: number;
}

interface LoadResult {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
}

/** `connections` loops, each polling as fast as its answers come, for `seconds`. */
async function load(dispatcher: Dispatcher, url: string, seconds: number, connections: number) {
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      try {
        const answer = await request(url, { dispatcher, headers: { "x-freepik-api-key": "bench" } });
        await answer.body.arrayBuffer();
        if (answer.statusCode >= 200 && answer.statusCode < 300) ok++;
        else errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  latencies.sort((a, b) => a - b);
  return {
    perSecond: ok / seconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? Number.NaN,
    p99: latencies[Math.floor(latencies.length * 0.99)] ?? Number.NaN,
    errors,
  } satisfies LoadResult;
}

export async function runProxySuite(
  options: ProxyBenchOptions,
  log: (line: string) => void,
): Promise<SuiteResult> {
  const loadAtStart = loadavg()[0]!;
  const caDir = mkdtempSync(join(tmpdir(), "upscale-harness-bench-ca-"));
  const server = await startCli([
    "mock",
    ...["--port", "0", "--proxy-port", "0", "--ca-dir", caDir, "--latency", "none", "--quiet"],
  ]);
  try {
    const proxyUrl = /HTTPS proxy\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(server.output())?.[1];
    if (!proxyUrl) throw new Error(`Failed to find the proxy's URL in:\n${server.output()}`);
    const ca = readFileSync(join(caDir, "ca.pem"), "utf8");
    const submitted = await request(`${server.url}/freepik/v1/ai/image-upscaler`, {
      method: "POST",
      headers: { "x-freepik-api-key": "bench", "content-type": "application/json" },
      body: JSON.stringify({ image: tinyPng, scale_factor: "2x" }),
    });
    const { data } = (await submitted.body.json()) as { data: { task_id: string } };
    const path = `/v1/ai/image-upscaler/${data.task_id}`;
    const sides = {
      direct: {
        dispatcher: new Agent({ connections: options.connections }),
        url: `${server.url}/freepik${path}`,
      },
      proxy: {
        dispatcher: new ProxyAgent({ uri: proxyUrl, requestTls: { ca }, connections: options.connections }),
        url: `https://api.freepik.com${path}`,
      },
    };
    // Warm both: connections, tunnels, the leaf certificate, the JIT.
    for (const side of Object.values(sides)) await load(side.dispatcher, side.url, 1, options.connections);
    const results: Record<keyof typeof sides, LoadResult[]> = { direct: [], proxy: [] };
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? (["direct", "proxy"] as const) : (["proxy", "direct"] as const);
      for (const name of order) {
        const result = await load(
          sides[name].dispatcher,
          sides[name].url,
          options.seconds,
          options.connections,
        );
        log(`proxy: round ${round + 1} ${name} ${result.perSecond.toFixed(0)} req/s`);
        results[name].push(result);
      }
    }
    await Promise.all(Object.values(sides).map((side) => side.dispatcher.close()));
    const rate = (name: keyof typeof sides) => median(results[name].map((r) => r.perSecond));
    const summary = (name: keyof typeof sides) => {
      const all = results[name];
      return `p50 ${median(all.map((r) => r.p50)).toFixed(2)} ms / p99 ${median(all.map((r) => r.p99)).toFixed(2)} ms, ${all.reduce((n, r) => n + r.errors, 0)} errors or non-2xx`;
    };
    const scenario = "status poll: freepik GET /v1/ai/image-upscaler/{id}";
    return {
      name: "proxy",
      title: "HTTPS proxy (status polls at the real host through the proxy vs direct, same server)",
      rows: [
        {
          scenario,
          subject: "direct: HTTP to the server's /freepik prefix",
          metric: "2xx req/s (median of rounds)",
          value: rate("direct"),
          unit: "req/s",
        },
        {
          scenario,
          subject: "proxy: https://api.freepik.com via CONNECT + TLS",
          metric: "2xx req/s (median of rounds; ratio: median of paired rounds)",
          value: rate("proxy"),
          unit: "req/s",
          anchor: "direct",
          // Rounds pair each side with the other measured next to it; on a busy machine the median
          // of those paired ratios is steadier than the ratio of the two medians.
          ratio: median(results.proxy.map((r, i) => r.perSecond / results.direct[i]!.perSecond)),
        },
      ],
      notes: [
        `Same child server (mock --latency none --proxy-port), same undici load loop, ${options.connections} keep-alive connections, ${options.seconds} s × ${options.rounds} rounds alternating; each proxied connection makes one CONNECT and one TLS handshake, then polls over it.`,
        `direct: ${summary("direct")}; proxy: ${summary("proxy")}.`,
        `Machine load (1-min average) at the start: ${loadAtStart.toFixed(1)}; the ratio, measured interleaved, is what to read.`,
      ],
    };
  } finally {
    await server.stop();
    rmSync(caDir, { recursive: true, force: true });
  }
}

/** A 1×1 PNG, base64: the task only needs to exist. */
const tinyPng =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";
