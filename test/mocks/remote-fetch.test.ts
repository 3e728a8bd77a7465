/**
 * `remoteImages: "fetch"`: the simulator downloads remote inputs itself, but only from public
 * https addresses. No test reaches the internet: every URL here is refused (loopback, private,
 * link-local, non-https, credentials) before any connection, or does not resolve (`.invalid`),
 * and a loopback port of our own checks that no refused URL ever got a connection. Over MSW here; over the server in
 * remote-inputs-server.test.ts.
 */
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isPublicAddress, publicDownload, publicUrlProblem } from "../../mocks/engine/public-download.ts";
import { fal } from "../../mocks/providers/fal/definition.ts";
import { freepik } from "../../mocks/providers/freepik/definition.ts";
import { onemin } from "../../mocks/providers/onemin/definition.ts";
import { useSimulators } from "../helpers/harness.ts";

const h = useSimulators({ definitions: [fal, freepik, onemin], latency: "none", remoteImages: "fetch" });

let bystander: Server;
let port: number;
let connections = 0;
beforeAll(async () => {
  bystander = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => bystander.listen(0, "127.0.0.1", resolve));
  port = (bystander.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => bystander.close(resolve));
  expect(connections).toBe(0);
});

describe("the public-address guard", () => {
  it.each([
    ["8.8.8.8", true],
    ["2606:4700::1111", true],
    ["127.0.0.1", false],
    ["10.1.2.3", false],
    ["172.20.0.5", false],
    ["192.168.1.1", false],
    ["169.254.169.254", false],
    ["100.64.0.1", false],
    ["0.0.0.0", false],
    ["::1", false],
    ["::", false],
    ["::ffff:127.0.0.1", false],
    ["::ffff:a00:1", false],
    ["fd00::1", false],
    ["fe80::1", false],
    ["not an address", false],
  ])("%s public: %s", (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it("refuses non-https, credentials and non-public address literals before any connection", () => {
    expect(publicUrlProblem("http://example.invalid/a.png")).toBe(
      "only https URLs are downloaded, not http:",
    );
    expect(publicUrlProblem("ftp://example.invalid/a.png")).toMatch(/only https/);
    expect(publicUrlProblem("https://u:p@example.invalid/a.png")).toBe(
      "URLs with credentials are not downloaded",
    );
    expect(publicUrlProblem("https://169.254.169.254/latest/meta-data")).toBe(
      "169.254.169.254 is not a public address",
    );
    expect(publicUrlProblem("https://[::1]/a.png")).toBe("::1 is not a public address");
    expect(publicUrlProblem("https://images.example.invalid/a.png")).toBeUndefined();
  });

  it("refuses a name that resolves to loopback at connection time, and names it", async () => {
    const download = publicDownload({ maxBytes: 1000, timeoutMs: 5000 });
    await expect(download(`https://localhost:${port}/x.png`)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), not a public address/,
    );
    await expect(download(`https://127.0.0.1:${port}/x.png`)).rejects.toThrow(
      "127.0.0.1 is not a public address",
    );
    await expect(download("https://host.invalid/x.png")).rejects.toThrow(/ENOTFOUND/);
  });
});

function post(url: string, body: unknown, headers: Record<string, string>) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("fetch mode over MSW: each provider's own error when a download is refused", () => {
  it("fal: 422 file_download_error, `failed` in the header, the reason in the journal", async () => {
    const url = `https://localhost:${port}/x.png`;
    const response = await post(
      "https://fal.run/fal-ai/ideogram/upscale",
      { image_url: url },
      { authorization: "Key k:s" },
    );
    expect(response.status).toBe(422);
    expect(response.headers.get("x-mock-input")).toBe(`failed; url=${url}`);
    const body = (await response.json()) as { detail: Array<{ type: string }> };
    expect(body.detail[0]!.type).toBe("file_download_error");
    const entry = h.simulator
      .namespace()
      .journal.list({ provider: "fal" })
      .find((e) => e.method === "POST");
    expect(entry?.notes?.[0]).toMatch(
      /^Input https:\/\/localhost:\d+\/x\.png could not be downloaded: .*not a public address/,
    );
  });

  it("Freepik precision-v2: 400 for an http URL", async () => {
    const url = `http://127.0.0.1:${port}/x.png`;
    const response = await post(
      "https://api.freepik.com/v1/ai/image-upscaler-precision-v2",
      { image: url },
      { "x-freepik-api-key": "k" },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get("x-mock-input")).toBe(`failed; url=${url}`);
  });

  it("1min.ai: 'Asset not found' for an http URL, and for a path (nothing to fetch)", async () => {
    for (const imageUrl of ["http://images.example.com/photo.png", "development/images/low_res_photo.png"]) {
      const response = await post(
        "https://api.1min.ai/api/features",
        { type: "IMAGE_UPSCALER", model: "ideogram-3", promptObject: { imageUrl, num_images: 1 } },
        { "API-KEY": "k" },
      );
      expect(response.status, imageUrl).toBe(400);
      expect(await response.json()).toEqual({ message: `Asset not found: ${imageUrl}` });
      expect(response.headers.get("x-mock-input"), imageUrl).toBe(`failed; url=${imageUrl}`);
    }
  });
});
