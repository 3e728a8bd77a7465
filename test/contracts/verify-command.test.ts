/**
 * `upscale-harness verify`: without a key it skips a real host and says why; against a running
 * simulator server it passes; against a simulator whose status answer was changed (a wrapper
 * definition renaming one field) it fails and the drift report names the field.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { ProviderDefinition, Route } from "../../mocks/engine/provider.ts";
import { freepik } from "../../mocks/providers/freepik/definition.ts";
import { providerDefinitions } from "../../mocks/providers/index.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { Simulator } from "../../mocks/simulator.ts";
import { run } from "./run.ts";

const cli = (...args: string[]) => run(["bin/upscale-harness.js", "verify", ...args]);
const servers: MockServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close(100))));

/** Freepik whose task status answers call `generated` `images`: a drifted provider. */
function driftedFreepik(): ProviderDefinition {
  const rename = (route: Route): Route =>
    route.operation !== "getUpscale"
      ? route
      : {
          ...route,
          async handle(ctx) {
            const answer = await route.handle(ctx);
            if (answer.body.kind !== "json") return answer;
            const { data } = answer.body.value as { data: { generated?: unknown } };
            const { generated, ...rest } = data;
            return { ...answer, body: { kind: "json", value: { data: { ...rest, images: generated } } } };
          },
        };
  return { ...freepik, routes: freepik.routes.map(rename) };
}

describe("upscale-harness verify", () => {
  it("prints its help", async () => {
    const result = await cli("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("--allow-spend");
  });

  it("without a key, skips the real provider, says why, and exits 0", async () => {
    const result = await cli("--provider", "freepik", "--base-url", "https://api.freepik.com");
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("No FREEPIK_API_KEY in the environment: nothing was sent");
    expect(result.stdout).toContain("skipped: no FREEPIK_API_KEY in the environment");
    expect(result.stdout).toMatch(/0 passed, 0 failed, 12 skipped/);
  });

  it("passes against a standalone simulator server", async () => {
    const server = await startMockServer({ port: 0, latency: "none" });
    servers.push(server);
    const result = await cli("--provider", "freepik", "--base-url", server.url);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/12 passed, 0 failed, 0 skipped/);
  }, 30_000);

  it("fails against a drifted simulator and names the field", async () => {
    const definitions = Object.values(providerDefinitions).map((d) =>
      d.id === "freepik" ? driftedFreepik() : d,
    );
    const server = await startMockServer({
      port: 0,
      simulator: new Simulator(definitions, { latency: "none" }),
    });
    servers.push(server);
    const result = await cli("--provider", "freepik", "--base-url", server.url);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/✗ a status read of a task that is COMPLETED/);
    expect(result.stdout).toMatch(/\$\.data.*generated/);
    expect(result.stdout).toContain("the provider has drifted from the contract");
  }, 30_000);
});
