/**
 * The proxy from the command line: `mock --proxy-port` prints the lines to paste and serves them
 * (a curl configured by exactly those lines reaches a simulator), and `ca` prints the CA.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { run, withoutProxyVariables } from "./helpers.ts";

const caDir = mkdtempSync(join(tmpdir(), "upscale-harness-ca-"));
let serving: Serving | undefined;
afterEach(async () => {
  await serving?.stop();
  serving = undefined;
});
afterAll(() => rmSync(caDir, { recursive: true, force: true }));

describe("upscale-harness mock --proxy-port", () => {
  it("prints the environment lines to paste, and a shell set up by them reaches the simulators", async () => {
    serving = await startCli([
      "mock",
      "--port",
      "0",
      "--latency",
      "none",
      "--proxy-port",
      "0",
      "--ca-dir",
      caDir,
    ]);
    const output = serving.output();
    const exports = output
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line.startsWith("export "));
    expect(exports.join("\n")).toMatch(/HTTPS_PROXY=http:\/\/127\.0\.0\.1:\d+/);
    for (const name of ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"])
      expect(exports.join("\n")).toContain(`${name}=${caDir}`);
    expect(output).toContain("node --import upscale-harness/proxy app.js");

    const script = `${exports.join("\n")}\ncurl -sS https://api.freepik.com/v1/ai/image-upscaler -H 'x-freepik-api-key: k'`;
    const ran = await run("bash", ["-c", script], withoutProxyVariables());
    expect(ran.stderr).toBe("");
    expect(JSON.parse(ran.stdout)).toEqual({ data: [] });
  });

  it("refuses proxy options without --proxy-port", async () => {
    await expect(startCli(["mock", "--port", "0", "--ca-dir", caDir])).rejects.toThrow(/need --proxy-port/);
  });
});

describe("upscale-harness ca", () => {
  it("prints the certificate's path, or with --pem the certificate", async () => {
    const path = await run(
      process.execPath,
      ["bin/upscale-harness.js", "ca", "--ca-dir", caDir],
      withoutProxyVariables(),
    );
    expect(path.stdout.trim()).toBe(join(caDir, "ca.pem"));
    const pem = await run(
      process.execPath,
      ["bin/upscale-harness.js", "ca", "--ca-dir", caDir, "--pem"],
      withoutProxyVariables(),
    );
    expect(pem.stdout).toBe(readFileSync(join(caDir, "ca.pem"), "utf8"));
    expect(pem.stdout).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });
});
