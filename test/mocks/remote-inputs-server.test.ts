/**
 * Remote inputs over the standalone server: the user's fixtures directory (by `fixtures.json`
 * and by file name), stand-ins for the rest, refusals in `refuse` mode (where fixtures still
 * answer), and `fetch` mode's guard (nothing here reaches the internet). The upscale of a fixture is checked by its dimensions.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputFixtures } from "../../mocks/engine/input-fixtures.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { dimensionsOf, makeImage } from "../../scripts/lib/images.ts";

const falExample = "https://fal.media/files/monkey/e6RtJf_ue0vyWzeiEmTby.png";
const oneminExample = "development/images/low_res_photo.png";
let dir: string;
let standIns: MockServer;
let refusing: MockServer;
let fetching: MockServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fixtures-"));
  await writeFile(join(dir, "monkey.png"), await makeImage(50, 40));
  await writeFile(join(dir, "low_res_photo.png"), await makeImage(36, 28));
  await writeFile(join(dir, "fixtures.json"), JSON.stringify({ [falExample]: "monkey.png" }));
  standIns = await startMockServer({ port: 0, latency: "none", fixtures: dir });
  refusing = await startMockServer({ port: 0, latency: "none", fixtures: dir, remoteImages: "refuse" });
  fetching = await startMockServer({ port: 0, latency: "none", remoteImages: "fetch" });
});
afterAll(async () => {
  await standIns?.close();
  await refusing?.close();
  await fetching?.close();
  await rm(dir, { recursive: true, force: true });
});

function falRun(server: MockServer, imageUrl: string) {
  return fetch(`${server.url}/fal/run/fal-ai/ideogram/upscale`, {
    method: "POST",
    headers: { authorization: "Key k:s", "content-type": "application/json" },
    body: JSON.stringify({ image_url: imageUrl }),
  });
}

function oneminRun(server: MockServer, imageUrl: string) {
  return fetch(`${server.url}/onemin/api/features`, {
    method: "POST",
    headers: { "api-key": "k", "content-type": "application/json" },
    body: JSON.stringify({
      type: "IMAGE_UPSCALER",
      model: "ideogram-3",
      promptObject: { imageUrl, num_images: 1 },
    }),
  });
}

async function falResultSize(response: Response) {
  expect(response.status).toBe(200);
  const { images } = (await response.json()) as { images: Array<{ url: string }> };
  return dimensionsOf(new Uint8Array(await (await fetch(images[0]!.url)).arrayBuffer()));
}

describe("fixtures", () => {
  it("fixtures.json maps fal's documented URL to the user's file, upscaled 2x", async () => {
    const response = await falRun(standIns, falExample);
    expect(response.headers.get("x-mock-input")).toBe(`fixture; file=monkey.png; url=${falExample}`);
    expect(await falResultSize(response)).toEqual({ width: 100, height: 80, format: "png" });
    const post = standIns.simulator
      .namespace()
      .journal.list({ provider: "fal" })
      .find((e) => e.method === "POST");
    expect(post?.notes).toEqual([
      `Input ${falExample} is not served here: the fixture monkey.png took its place.`,
    ]);
  });

  it("a 1min.ai path maps by its file name; the result is that file upscaled 2x", async () => {
    const response = await oneminRun(standIns, oneminExample);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-mock-input")).toBe(
      `fixture; file=low_res_photo.png; url=${oneminExample}`,
    );
    const body = (await response.json()) as {
      aiRecord: {
        aiRecordDetail: { responseObject: { data: Array<{ upscaled_resolution: string; url: string }> } };
      };
    };
    const [result] = body.aiRecord.aiRecordDetail.responseObject.data;
    expect(result!.upscaled_resolution).toBe("72x56");
    const image = new Uint8Array(await (await fetch(result!.url)).arrayBuffer());
    expect(await dimensionsOf(image)).toEqual({ width: 72, height: 56, format: "png" });
  });

  it("a URL with no fixture still gets a stand-in", async () => {
    const url = "https://cdn.example.com/unknown.png";
    const response = await falRun(standIns, url);
    expect(response.status).toBe(200);
    expect(response.headers.get("x-mock-input")).toBe(`stand-in; url=${url}`);
    // A page's script may read it too.
    expect(response.headers.get("access-control-expose-headers")).toContain("x-mock-input");
  });

  it("refusing remote images: fixtures still answer, everything else gets the provider's own error", async () => {
    expect((await falRun(refusing, falExample)).headers.get("x-mock-input")).toMatch(/^fixture; /);
    const refused = await falRun(refusing, "https://cdn.example.com/unknown.png");
    expect(refused.status).toBe(422);
    expect(refused.headers.get("x-mock-input")).toBe("refused; url=https://cdn.example.com/unknown.png");
    expect(((await refused.json()) as { detail: Array<{ type: string }> }).detail[0]!.type).toBe(
      "file_download_error",
    );
    const missing = await oneminRun(refusing, "development/images/other.png");
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ message: "Asset not found: development/images/other.png" });
  });

  it("never reads outside the directory, and says what is wrong with a bad manifest", async () => {
    const fixtures = new InputFixtures(dir);
    expect(await fixtures.find("https://x.invalid/..%2Ffixtures.json")).toBeUndefined();
    expect(await fixtures.find("https://x.invalid/fixtures.json")).toBeUndefined();
    expect(await fixtures.find("https://x.invalid/a/monkey.png?size=2")).toMatchObject({
      file: "monkey.png",
    });
    const bad = await mkdtemp(join(tmpdir(), "fixtures-bad-"));
    try {
      await writeFile(join(bad, "fixtures.json"), JSON.stringify({ "https://x.invalid/a.png": "../a.png" }));
      expect(() => new InputFixtures(bad)).toThrow(/must be the name of a file/);
      await writeFile(join(bad, "fixtures.json"), JSON.stringify({ "https://x.invalid/a.png": "a.png" }));
      expect(() => new InputFixtures(bad)).toThrow(/names a\.png, which is not in/);
      expect(() => new InputFixtures(join(bad, "nope"))).toThrow(/is not a directory/);
    } finally {
      await rm(bad, { recursive: true, force: true });
    }
  });
});

describe("fetch mode over the server", () => {
  it("refuses loopback, private and non-https URLs with the providers' own errors", async () => {
    for (const url of [
      `https://localhost:${new URL(fetching.url).port}/__admin/health`,
      "https://[::1]/x.png",
      "https://10.0.0.1/x.png",
      "http://images.example.com/x.png",
    ]) {
      const fal = await falRun(fetching, url);
      expect(fal.status, url).toBe(422);
      expect(fal.headers.get("x-mock-input"), url).toBe(`failed; url=${url}`);
      const onemin = await oneminRun(fetching, url);
      expect(onemin.status, url).toBe(400);
    }
    const notes = fetching.simulator
      .namespace()
      .journal.list({ provider: "fal" })
      .flatMap((e) => e.notes ?? []);
    expect(notes).toContainEqual(expect.stringMatching(/resolves to .*, not a public address$/));
    expect(notes).toContainEqual(expect.stringMatching(/10\.0\.0\.1 is not a public address$/));
    expect(notes).toContainEqual(expect.stringMatching(/only https URLs are downloaded, not http:$/));
  });
});
