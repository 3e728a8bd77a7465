/**
 * The `mock` command as `npm start` runs it: prints where everything is, serves, and stops
 * cleanly on SIGTERM. Runs the real bin (the bundle when it is fresh, else the sources).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/package-root.ts";

let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill("SIGKILL");
  child = undefined;
});

function start(args: string[]): Promise<{ url: string; output: () => string }> {
  child = spawn(process.execPath, ["bin/upscale-harness.js", ...args], {
    cwd: packageRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within 20 s:\n${output}`)), 20_000);
    child!.stdout!.on("data", () => {
      const found = /simulators on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve({ url: found[1]!, output: () => output });
      }
    });
    child!.once("exit", (code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
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
      "--quiet",
    ]) {
      expect(text).toContain(flag);
    }
  });
});
