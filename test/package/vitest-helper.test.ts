/**
 * `upscale-harness/vitest` as a test file uses it: one call, then the client on the real hosts,
 * scenarios, the clock, the journal, webhook deliveries, and a clean namespace in every test.
 */
import { afterAll, describe, expect, it, vi } from "vitest";
import { useUpscaleSimulators } from "../../mocks/vitest.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { ApiError, createUpscaler } from "../../src/index.ts";
import { startReceiver } from "../helpers/receiver.ts";

const sim = useUpscaleSimulators({ providers: ["freepik", "fal"] });
const receiver = await startReceiver();
afterAll(() => receiver.close());

const client = (provider: "freepik" | "fal" = "freepik") =>
  createUpscaler({ provider, apiKeys: { freepik: "fp-key", fal: "id:secret" }, clock: sim.clock });

describe("useUpscaleSimulators", () => {
  it("answers on the real hosts with real images, in a namespace of its own", async () => {
    const result = await client().upscale(await makeImage(20, 10), { scale: 2 });
    expect(await dimensionsOf(await result.download())).toMatchObject({ width: 40, height: 20 });
    const journal = sim.journal({ provider: "freepik" });
    expect(journal.length).toBeGreaterThanOrEqual(2);
    expect(sim.namespace).toMatch(/^vitest-/);
    expect(sim.simulator.namespace("default").journal.size).toBe(0);
    expect(sim.tasks("freepik")).toHaveLength(1);
  });

  it("starts each test from a clean namespace", () => {
    expect(sim.journal()).toEqual([]);
    expect(sim.tasks()).toEqual([]);
  });

  it("sets a scenario for one test, in the provider's own answer", async () => {
    sim.scenario("freepik", "outage");
    const error = await client()
      .upscale(await makeImage(8, 8))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(sim.journal().every((entry) => entry.status === 503)).toBe(true);
    expect(() => sim.scenario("freepik", "no-such-preset")).toThrow(/unknown preset "no-such-preset"/);
  });

  it("leaves the scenario behind and records webhook deliveries", async () => {
    const result = await client("fal").upscale(await makeImage(8, 8), { webhookUrl: `${receiver.url}/hook` });
    expect(result.provider).toBe("fal");
    await sim.advance(60_000);
    // The delivery itself is a real POST to the loopback receiver: it takes real time.
    await vi.waitFor(() => expect(sim.webhooks({ provider: "fal" })[0]?.state).toBe("delivered"));
    expect(sim.webhooks()).toMatchObject([{ provider: "fal", url: `${receiver.url}/hook` }]);
    expect(receiver.received.map((request) => request.path)).toEqual(["/hook"]);
  });

  it("moves the clock on advance()", async () => {
    const before = sim.clock.now();
    await sim.advance(90_000);
    expect(sim.clock.now() - before).toBe(90_000);
  });
});
