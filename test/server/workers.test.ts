/**
 * `upscale-harness mock --workers 2` on a redis-server started here: both workers answer on the
 * one port, a scenario set through whichever worker holds on the other, a worker that crashes is
 * replaced, and SIGTERM stops them all. Each request opens its own connection, so the primary
 * hands them to the workers in turn (a kept-alive connection would stay with one worker).
 */

import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { availableParallelism } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { startRedis, type TestRedis } from "../../scripts/lib/redis-server.ts";
import { parseWorkers } from "../../src/cli/mock-workers.ts";

let redis: TestRedis;
let server: Serving;

beforeAll(async () => {
  redis = await startRedis();
  server = await startCli(
    ["mock", "--workers", "2", "--port", "0", "--latency", "none", "--clock", "virtual", "--quiet"],
    {
      UPSCALE_HARNESS_STORE: redis.url,
    },
  );
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await redis?.stop();
});

/** One request on a connection of its own; resolves with the status and the parsed body. */
function ask(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}${path}`,
      {
        method: options.method ?? "GET",
        agent: false,
        // A connection handed to a worker at the moment it dies is never answered.
        timeout: 3_000,
        headers: { ...options.headers, ...(body ? { "content-type": "application/json" } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : {} }));
      },
    );
    req.once("timeout", () => req.destroy(new Error(`No answer to ${path} within 3 s.`)));
    req.once("error", reject);
    req.end(body);
  });
}

/** The worker pids seen answering `health` until `wanted` distinct ones (or 15 s) have. */
async function pidsAnswering(wanted: number, exclude: number[] = []): Promise<Set<number>> {
  const pids = new Set<number>();
  const deadline = Date.now() + 15_000;
  while (pids.size < wanted && Date.now() < deadline) {
    const pid = (await ask("/__admin/health").catch(() => undefined))?.body.pid as number | undefined;
    if (pid !== undefined && !exclude.includes(pid)) pids.add(pid);
    if (pids.size < wanted) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return pids;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("mock --workers 2", () => {
  it("answers from two worker processes, other than the primary, on one port", async () => {
    const pids = await pidsAnswering(2);
    expect(pids.size).toBe(2);
    expect(pids.has(server.pid)).toBe(false);
    expect((await ask("/__admin/health")).body.store).toBe("redis");
  });

  it("holds a scenario set through one worker on the other", async () => {
    const ns = `workers-${randomUUID()}`;
    const poll = () =>
      ask(`/freepik/v1/ai/image-upscaler/${randomUUID()}`, {
        headers: { "x-freepik-api-key": "any", "x-mock-namespace": ns },
      });
    expect((await poll()).status).toBe(404);
    const set = await ask("/__admin/scenarios", {
      method: "POST",
      body: { namespace: ns, provider: "freepik", scenario: "outage" },
    });
    expect(set.status).toBe(200);
    // Connections alternate between the workers: six polls reach both.
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await poll()).status);
    expect(statuses).toEqual([503, 503, 503, 503, 503, 503]);
  });

  it("journals what both workers answered, in the journal of either", async () => {
    const ns = `journal-${randomUUID()}`;
    for (let i = 0; i < 6; i++)
      await ask(`/freepik/v1/ai/image-upscaler/${randomUUID()}`, {
        headers: { "x-freepik-api-key": "any", "x-mock-namespace": ns },
      });
    // Each worker writes its exchanges to the store in batches, every 0.1 s.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 2; i++) {
      const { entries } = (await ask(`/__admin/journal?namespace=${ns}`)).body as {
        entries: Array<{ seq: number; replica: string }>;
      };
      expect(entries.map((entry) => entry.seq).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(new Set(entries.map((entry) => entry.replica)).size).toBe(2);
    }
  });

  it("charts every worker's requests in the rates of either", async () => {
    // Both workers answered the 13 Freepik requests above between them; each publishes its own
    // counts once a second, and either one's chart sums them.
    const charted = async () => {
      const { providers } = (await ask("/__admin/rates?seconds=120")).body as {
        providers: Array<{ provider: string; requests: number[] }>;
      };
      const freepik = providers.find((series) => series.provider === "freepik");
      return freepik ? freepik.requests.reduce((a, b) => a + b, 0) : 0;
    };
    const deadline = Date.now() + 10_000;
    let seen = [0, 0];
    while (Date.now() < deadline) {
      seen = [await charted(), await charted()];
      if (seen.every((n) => n >= 13)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(seen.every((n) => n >= 13)).toBe(true);
  });

  it("holds virtual time moved through one worker's admin API on the other", async () => {
    const ns = `clock-${randomUUID()}`;
    const before = (await ask(`/__admin/clock?namespace=${ns}`)).body.now as string;
    const moved = await ask("/__admin/clock/advance", {
      method: "POST",
      body: { namespace: ns, ms: 3_600_000 },
    });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now as string) - Date.parse(before)).toBeGreaterThanOrEqual(3_600_000);
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await ask(`/__admin/clock?namespace=${ns}`)).body.now);
    expect(seen).toEqual([moved.body.now, moved.body.now, moved.body.now, moved.body.now]);
  });

  it("replaces a worker that crashes, then stops every process on SIGTERM", async () => {
    const before = [...(await pidsAnswering(2))];
    process.kill(before[0]!, "SIGKILL");
    const after = await pidsAnswering(1, before);
    expect(after.size).toBe(1);
    expect(server.output()).toMatch(/died \(SIGKILL\); restarting it/);
    const workers = [before[1]!, ...after];
    const exited = new Promise<number | null>((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(server.output()).toContain("Stopped all workers.");
    expect(workers.filter(alive)).toEqual([]);
  }, 45_000);

  it("refuses to run several workers without a shared store, saying what to give", async () => {
    await expect(
      startCli(["mock", "--workers", "2", "--port", "0"], { UPSCALE_HARNESS_STORE: "" }),
    ).rejects.toThrow(/Failed to start 2 workers: they share their state through Redis.*--store redis:\/\//);
    expect(() => parseWorkers("none")).toThrow(/--workers "none": use a number from 1 to 256, or auto/);
    expect(parseWorkers("auto")).toBe(availableParallelism());
  });
});
