/**
 * Any client, unchanged, through the HTTPS proxy: the providers' own curl examples, a Python app
 * on the standard library, and fal's JavaScript client, each configured by its environment only
 * (HTTPS_PROXY and the local CA), calling the real hosts. Everything stays on loopback.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeImage } from "../../scripts/lib/images.ts";
import { nodeProxyImport, type ProxiedServer, run, startProxied } from "./helpers.ts";

const fixtures = join(import.meta.dirname, "fixtures");
let proxied: ProxiedServer;
let inputPng: string;
/** How a Node app is started to go through the proxy: `node --import upscale-harness/proxy app.js`. */
let nodeThroughProxy: string[];
let proxyImport: Awaited<ReturnType<typeof nodeProxyImport>> | undefined;

beforeAll(async () => {
  proxyImport = await nodeProxyImport();
  nodeThroughProxy = proxyImport.args;
  proxied = await startProxied();
  inputPng = join(proxied.caDir, "input.png");
  await writeFile(inputPng, await makeImage(32, 24));
});
afterAll(async () => {
  proxyImport?.stop();
  await proxied?.stop();
});

function journal(provider: string) {
  return proxied.server.simulator.namespace("default").journal.list({ provider });
}

/** The fixture's blocks: `### <name> <source URL>` followed by the command, verbatim. */
function seedCommands(): Array<{ name: string; source: string; command: string }> {
  const text = readFileSync(join(fixtures, "seed-curl.txt"), "utf8");
  return text
    .split(/^### /m)
    .slice(1)
    .map((block) => {
      const [header, ...lines] = block.split("\n");
      const [name, source] = header!.split(" ");
      return { name: name!, source: source!, command: lines.join("\n").trim() };
    });
}

describe("the HTTPS proxy with unchanged clients", () => {
  it("curl runs the providers' own curl commands verbatim and gets the simulators' answers", async () => {
    const commands = seedCommands();
    expect(commands.map((c) => c.name)).toEqual(["fal-sync", "onemin-features", "onemin-generated"]);
    for (const { name, source, command } of commands) {
      expect(source).toMatch(/^https:\/\//);
      const ran = await run("bash", ["-c", command], { ...proxied.env, FAL_KEY: "local-dev" });
      // curl's stderr carries its progress meter; an error would read "curl: (N) …".
      expect(ran.stderr, name).not.toMatch(/curl: \(\d+\)/);
      expect(ran.code, name).toBe(0);
      const body = JSON.parse(ran.stdout);
      // The documents' example inputs (fal's image on fal.media, 1min.ai's asset path never
      // uploaded here) are not served by the simulators: a stand-in image takes their place.
      if (name === "fal-sync") {
        expect(body.images[0].url, name).toMatch(/^https:\/\/v3\.fal\.media\//);
      } else {
        expect(body.aiRecord.status, name).toBe("SUCCESS");
        expect(body.aiRecord.aiRecordDetail.resultObject, name).toHaveLength(1);
      }
    }
    const falRun = journal("fal").find((e) => e.method === "POST" && e.path === "/fal-ai/ideogram/upscale");
    expect(falRun?.status).toBe(200);
    expect(falRun?.notes?.[0]).toMatch(
      /^Input https:\/\/fal\.media\/files\/monkey\/\S+ is not served here: a stand-in/,
    );
    const features = journal("onemin").filter((e) => e.path === "/api/features");
    expect(features.map((e) => e.status)).toEqual([200, 200]);
  });

  it("puts an unchanged client's requests in the namespace named as the proxy's user", async () => {
    const proxyUrl = new URL(proxied.env.HTTPS_PROXY!);
    proxyUrl.username = "team-a";
    const before = journal("freepik").length;
    const ran = await run(
      "curl",
      ["-sS", "https://api.freepik.com/v1/ai/image-upscaler", "-H", "x-freepik-api-key: k"],
      { ...proxied.env, HTTPS_PROXY: proxyUrl.href },
    );
    expect(JSON.parse(ran.stdout)).toEqual({ data: [] });
    const teamA = proxied.server.simulator.namespace("team-a").journal.list({ provider: "freepik" });
    expect(teamA.map((e) => [e.method, e.path])).toEqual([["GET", "/v1/ai/image-upscaler"]]);
    expect(journal("freepik")).toHaveLength(before);
  });

  it("Python's urllib submits to Freepik, polls, and downloads the result at the real hosts", async () => {
    const ran = await run("python3", [join(fixtures, "freepik_urllib.py"), inputPng], proxied.env);
    expect(ran.stderr).toBe("");
    const seen = JSON.parse(ran.stdout);
    expect(seen.states.at(-1)).toBe("COMPLETED");
    expect(seen.states.length).toBeGreaterThan(1);
    expect(seen).toMatchObject({
      result_host: "ai-statics.freepik.com",
      content_type: "image/png",
      png: true,
    });
    expect(seen.result_bytes).toBeGreaterThan(100);
    const task = proxied.server.simulator.namespace("default").tasks.get(seen.task_id);
    expect(task?.provider).toBe("freepik");
  });

  it("@fal-ai/client runs fal's own fal.subscribe example through the proxy", async () => {
    const ran = await run(process.execPath, [...nodeThroughProxy, join(fixtures, "fal-subscribe-seed.mjs")], {
      ...proxied.env,
      FAL_KEY: "local-dev",
    });
    // Queued, polled with logs, and ended with the upscale of the stand-in for fal's example image.
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toContain("Downloading input image...");
    expect(ran.stdout).toMatch(/url: 'https:\/\/v3\.fal\.media\//);
    const queue = journal("fal").filter((e) => e.path.startsWith("/fal-ai/ideogram"));
    expect(queue.some((e) => e.method === "POST" && e.path === "/fal-ai/ideogram/upscale")).toBe(true);
    expect(queue.some((e) => e.path.endsWith("/status"))).toBe(true);
  });

  it("@fal-ai/client uploads, subscribes and downloads the upscale, all at fal's real hosts", async () => {
    const ran = await run(
      process.execPath,
      [...nodeThroughProxy, join(fixtures, "fal-upload-subscribe.mjs"), inputPng],
      { ...proxied.env, FAL_KEY: "local-dev" },
    );
    expect(ran.code, ran.stderr).toBe(0);
    const seen = JSON.parse(ran.stdout);
    expect(new URL(seen.image_url).hostname).toBe("v3.fal.media");
    expect(seen.statuses.at(-1)).toBe("COMPLETED");
    expect(new URL(seen.output.url).hostname).toBe("v3.fal.media");
    expect(seen.output).toMatchObject({ width: 64, height: 48 });
    expect(seen.downloaded).toMatchObject({ status: 200, png: true });
  });
});
