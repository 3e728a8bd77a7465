/**
 * The packed package in a fresh project, installed as an app that only wants the client would
 * (`--omit=peer --omit=optional`): Node's ESM import and CJS require of the client, the client's
 * module graph, strict TypeScript consumers (NodeNext and Bundler, skipLibCheck off), the missing
 * peers' messages. Then with sharp's optional binaries added (what `npm i` gives by default) the
 * installed bin serves and upscales, and a consumer's vitest file runs `upscale-harness/vitest`.
 */
import { readFile, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer, stopAll } from "../../scripts/lib/child.ts";
import { type Consumer, installConsumer, packPackage, run } from "../../scripts/lib/consumer.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";
import { packageRoot } from "../../src/package-root.ts";

/** Packages the client entry must never load: the simulators', the peers', the build tools'. */
const heavy = [
  "msw",
  "sharp",
  "busboy",
  "ioredis",
  "@pact-foundation/pact",
  "@stoplight/prism-cli",
  "tsx",
  "esbuild",
];

let tarball: string;
let consumer: Consumer;
const node = (args: string[], env?: Record<string, string>) =>
  run(process.execPath, args, { cwd: consumer.dir, ...(env ? { env } : {}) });

beforeAll(async () => {
  tarball = await packPackage();
  consumer = await installConsumer(tarball, ["--omit=peer", "--omit=optional"]);
}, 300_000);

afterAll(async () => {
  await stopAll();
  await consumer?.remove();
  if (tarball) await rm(dirname(tarball), { recursive: true, force: true });
});

const clientUse = `
const upscaler = createUpscaler({ provider: "freepik", apiKeys: { freepik: "key" } });
console.log(JSON.stringify({
  upscale: typeof upscaler.upscale,
  error: new ApiError("Failed to test: a made-up answer.", { provider: "freepik", status: 500 }) instanceof Error,
  webhook: typeof verifyWebhook,
  providers: providerIds,
}));`;

describe("installed without optional peers", { timeout: 120_000 }, () => {
  it.each([
    [
      "imports from Node ESM",
      "esm.mjs",
      'import { ApiError, createUpscaler, providerIds, verifyWebhook } from "upscale-harness";',
    ],
    [
      "requires from CommonJS",
      "cjs.cjs",
      'const { ApiError, createUpscaler, providerIds, verifyWebhook } = require("upscale-harness");',
    ],
  ])("%s", async (_label, file, load) => {
    await writeFile(join(consumer.dir, file), `${load}\n${clientUse}`);
    const result = await node([file]);
    // Nothing on stderr: no warning about require() of ES modules either.
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toMatchObject({
      upscale: "function",
      error: true,
      webhook: "function",
    });
  });

  it("loads only the client's own dependencies", async () => {
    // A resolve hook writes every module Node resolves while the entry loads.
    await writeFile(
      join(consumer.dir, "hooks.mjs"),
      `import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.GRAPH_LOG, result.url + "\\n");
  return result;
}`,
    );
    await writeFile(
      join(consumer.dir, "register.mjs"),
      `import { register } from "node:module";\nregister("./hooks.mjs", import.meta.url);`,
    );
    const log = join(consumer.dir, "graph.log");
    const result = await node(["--import", "./register.mjs", "-e", 'await import("upscale-harness")'], {
      GRAPH_LOG: log,
    });
    expect(result.code, result.stderr).toBe(0);
    const urls = (await readFile(log, "utf8")).trim().split("\n");
    const packages = new Set(
      urls.flatMap((url) => {
        const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
        return match ? [match[1]!] : [];
      }),
    );
    for (const name of heavy) expect(packages, name).not.toContain(name);
    expect([...packages].sort()).toEqual(["openapi-fetch", "upscale-harness", "zod"]);
  });

  it("type-checks a strict consumer under NodeNext and Bundler, library files included", async () => {
    await writeFile(join(consumer.dir, "strict.ts"), strictConsumer);
    const resolutions = {
      NodeNext: { module: "NodeNext", moduleResolution: "NodeNext" },
      Bundler: { module: "ESNext", moduleResolution: "Bundler" },
    };
    const tsc = join(packageRoot, "node_modules/typescript/bin/tsc");
    // Both at once: each checks the package's declarations and zod's, which takes a while.
    const results = await Promise.all(
      Object.entries(resolutions).map(async ([name, resolution]) => {
        const config = {
          compilerOptions: {
            ...resolution,
            target: "ES2022",
            lib: ["ES2023"],
            strict: true,
            skipLibCheck: false,
            noEmit: true,
            // @types/node as an app has it, without installing it again.
            typeRoots: [join(packageRoot, "node_modules/@types")],
            types: ["node"],
          },
          files: ["strict.ts"],
        };
        await writeFile(join(consumer.dir, `tsconfig.${name}.json`), JSON.stringify(config));
        const result = await node([tsc, "-p", `tsconfig.${name}.json`]);
        return { name, code: result.code, output: result.stdout + result.stderr };
      }),
    );
    expect(results).toEqual([
      { name: "NodeNext", code: 0, output: "" },
      { name: "Bundler", code: 0, output: "" },
    ]);
  }, 240_000);

  it("names the install command when a feature's peer is missing", async () => {
    const msw = await node(["-e", 'await import("upscale-harness/msw")', "--input-type=module"]);
    expect(msw.stderr).toContain("Failed to load msw: upscale-harness/msw needs it");
    expect(msw.stderr).toContain("npm i -D msw");
    const verify = await node([bin(), "verify", "--provider", "freepik"]);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toContain("npm i -D @pact-foundation/pact");
  });
});

describe("installed with sharp's binaries (optional dependencies), peers still left out", {
  timeout: 120_000,
}, () => {
  beforeAll(async () => {
    await consumer.install(["--omit=peer"]);
  }, 300_000);

  it("the bin upscales through the in-process simulators", async () => {
    await writeFile(join(consumer.dir, "in.png"), await makeImage(24, 16));
    const result = await node([
      bin(),
      "upscale",
      "in.png",
      "--provider",
      "freepik",
      "--scale",
      "2",
      "--out",
      "out.png",
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("(simulated)");
    expect(await dimensionsOf(await readFile(join(consumer.dir, "out.png")))).toMatchObject({
      width: 48,
      height: 32,
    });
  });

  it("the bin serves the simulators", async () => {
    const server = await startServer([bin(), "mock", "--port", "0", "--latency", "none", "--quiet"]);
    const health = await fetch(`${server.url}/__admin/health`);
    expect(health.status).toBe(200);
    const page = await fetch(`${server.url}/__admin/ui`);
    expect(await page.text()).toMatch(/<title>upscale-harness/);
    await server.stop();
  });

  it("runs a consumer's vitest file on upscale-harness/vitest", async () => {
    // vitest and msw as the app has them: linked from this checkout rather than installed again.
    await consumer.link(["vitest", "msw"]);
    await writeFile(join(consumer.dir, "upscale.test.ts"), vitestConsumer);
    await writeFile(join(consumer.dir, "photo.png"), await makeImage(16, 12));
    const vitest = join(consumer.dir, "node_modules/vitest/vitest.mjs");
    const result = await node([vitest, "run", "--root", consumer.dir, "upscale.test.ts"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(stripVTControlCharacters(result.stdout)).toMatch(/Tests\s+3 passed/);
  });
});

const bin = () => join(consumer.dir, "node_modules/upscale-harness/bin/upscale-harness.js");

/** What a strict app writes against the public entries. */
const strictConsumer = `
import { ApiError, createUpscaler, type ProviderId, type UpscaleResult, verifyWebhook } from "upscale-harness";
import { VirtualClock } from "upscale-harness/clock";
import { createSimulator, createSimulatorFetch, type SimResponse } from "upscale-harness/simulator";
import { type MockServer, startMockServer } from "upscale-harness/server";

const clock = new VirtualClock({ autoAdvance: true });
const provider: ProviderId = "freepik";
const upscaler = createUpscaler({ provider, clock, fetch: createSimulatorFetch(createSimulator({ clock })) });
export const result: Promise<UpscaleResult> = upscaler.upscale(new Uint8Array(8), { scale: 2 });
export const server: Promise<MockServer> = startMockServer({ port: 0 });
export const answer: SimResponse | undefined = undefined;
export const failed = (error: unknown) => error instanceof ApiError && error.status;
export const check = verifyWebhook;
`;

/** A consumer's test file, as the README shows it. */
const vitestConsumer = `
import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { ApiError, createUpscaler } from "upscale-harness";
import { useUpscaleSimulators } from "upscale-harness/vitest";

const sim = useUpscaleSimulators({ providers: ["freepik"] });
const upscaler = () => createUpscaler({ provider: "freepik", apiKeys: { freepik: "test" }, clock: sim.clock });
const png = readFileSync(new URL("photo.png", import.meta.url));

it("upscales on the simulators", async () => {
  const result = await upscaler().upscale(png, { scale: 2 });
  expect(result.images[0]).toMatchObject({ width: 32, height: 24 });
  expect(sim.journal().length).toBeGreaterThan(1);
});

it("rehearses an outage", async () => {
  expect(sim.journal()).toEqual([]);
  sim.scenario("freepik", "outage");
  await expect(upscaler().upscale(png)).rejects.toBeInstanceOf(ApiError);
});

it("moves the clock", async () => {
  const start = sim.clock.now();
  await sim.advance(60_000);
  expect(sim.clock.now() - start).toBe(60_000);
});
`;
