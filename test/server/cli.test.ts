/**
 * The `mock` command as `npm start` runs it: prints where everything is, serves, and stops
 * cleanly on SIGTERM. Runs the real bin (the bundle when it is fresh, else the sources).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { startCli } from "../../scripts/lib/child.ts";
import { packageRoot } from "../../src/package-root.ts";

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

async function start(args: string[]): Promise<{ url: string; output: () => string }> {
  const started = await startCli(args);
  child = started.child;
  return started;
}

describe("upscale-harness mock", () => {
  it("prints every provider's base URL, the dashboard and a curl command, serves, and stops on SIGTERM", async () => {
    const { url, output } = await start(["mock", "--port", "0", "--latency", "none"]);
    for (const prefix of ["/ideogram", "/chainhub", "/fal/queue", "/fal/run", "/onemin", "/freepik"]) {
      expect(output()).toContain(`${url}${prefix}`);
    }
    expect(output()).toContain(`${url}/__admin/ui`);
    expect(output()).toMatch(/curl -s .*image-upscaler/);
    expect((await fetch(`${url}/__admin/health`)).status).toBe(200);
    // The printed curl command's request works as printed.
    const curl = /-d '(\{.*\})'/.exec(output())![1]!;
    const submitted = await fetch(`${url}/freepik/v1/ai/image-upscaler`, {
      method: "POST",
      headers: { "x-freepik-api-key": "any", "content-type": "application/json" },
      body: curl,
    });
    expect(submitted.status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    child!.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output()).toContain("Stopped");
  });

  it("refuses bad flags with a message naming the fix", async () => {
    await expect(start(["mock", "--latency", "sometimes"])).rejects.toThrow(
      /--latency "sometimes": use one of realistic, none/,
    );
  });

  it("refuses a --public-url that is not an http(s) origin", async () => {
    await expect(start(["mock", "--port", "0", "--public-url", "lb.internal"])).rejects.toThrow(
      /public URL "lb.internal": give an http\(s\) origin/,
    );
  });

  it("--help lists every option", async () => {
    child = spawn(process.execPath, ["bin/upscale-harness.js", "mock", "--help"], { cwd: packageRoot });
    let text = "";
    child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
    await new Promise((resolve) => child!.once("exit", resolve));
    for (const flag of [
      "--port",
      "--host",
      "--ports",
      "--clock",
      "--scenario",
      "--seed",
      "--latency",
      "--images",
      "--webhook-secret",
      "--admin-token",
      "--store",
      "--workers",
      "--public-url",
      "--quiet",
    ]) {
      expect(text).toContain(flag);
    }
  });
});
