/**
 * The client reads only what it needs: fields it does not use may be missing or extra, and an
 * unknown status value is read as "still running" (with a warning) until a final one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { makeImage } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { createUpscaler } from "../../src/index.ts";
import { type StandIn, startStandIn } from "../helpers/stand-in.ts";

let standIn: StandIn | undefined;
afterEach(async () => {
  await standIn?.close();
  standIn = undefined;
});

const taskId = "046b6c7f-0b8a-43b9-b35d-6489e6daee91";

describe("tolerant reader", () => {
  it("freepik: an unknown status is read as running, with a warning, until COMPLETED", async () => {
    const png = await makeImage(8, 8);
    let polls = 0;
    standIn = await startStandIn((request, url) => {
      if (request.method === "POST") return { json: { data: { task_id: taskId, status: "QUEUED_ON_GPU" } } };
      if (request.path.startsWith("/out/")) return { bytes: png, contentType: "image/png" };
      polls++;
      return polls < 3
        ? { json: { data: { task_id: taskId, status: "WARMING_UP", eta_seconds: 4 } } }
        : {
            json: {
              data: {
                task_id: taskId,
                status: "COMPLETED",
                generated: [`${url}/out/r.png`],
                has_nsfw: [false],
              },
            },
          };
    });
    const warned: string[] = [];
    const upscaler = createUpscaler({
      provider: "freepik",
      apiKeys: { freepik: "k" },
      baseUrls: { freepik: standIn.url },
      clock: new VirtualClock({ autoAdvance: true }),
      logger: { warn: (message) => warned.push(message) },
    });
    const result = await upscaler.upscale(await makeImage(4, 4));
    expect(polls).toBe(3);
    expect(result.images).toHaveLength(1);
    expect(result.warnings.some((w) => w.includes('"WARMING_UP"'))).toBe(true);
    expect(warned.filter((w) => w.includes("WARMING_UP"))).toHaveLength(1);
    expect(result.raw).toMatchObject({ data: { has_nsfw: [false] } });
  });

  it("ideogram: the Ideogram body chainhub's document shows (no upscaled_resolution) gives a result", async () => {
    const png = await makeImage(8, 8);
    standIn = await startStandIn((request, url) => {
      if (request.path.startsWith("/api/images/")) return { bytes: png, contentType: "image/png" };
      // The documented example, with the image host swapped for the stand-in.
      const image = {
        seed: 12345,
        prompt: "A serene tropical beach scene.",
        resolution: "1024x1024",
        url: `${url}/api/images/direct/8YEpFzHuS-S6xXEGmCsf7g`,
        is_image_safe: true,
      };
      return { json: { data: [image, image], created: "2000-01-23T04:56:07.000Z" } };
    });
    const upscaler = createUpscaler({
      provider: "ideogram",
      apiKeys: { ideogram: "k" },
      baseUrls: { ideogram: standIn.url },
      clock: new VirtualClock({ autoAdvance: true }),
    });
    const result = await upscaler.upscale(await makeImage(4, 4));
    expect(result.images).toHaveLength(2);
    expect(result.images[0]).toMatchObject({ width: 8, height: 8 });
    expect(result.seed).toBe(12345);
  });

  it("onemin: an upload answer without fileContent.uuid (never read) is accepted", async () => {
    const png = await makeImage(8, 8);
    standIn = await startStandIn((request) => {
      if (request.path === "/api/assets") return { json: { fileContent: { path: "images/in.png" } } };
      if (request.path.startsWith("/images/")) return { bytes: png, contentType: "image/png" };
      return {
        json: {
          aiRecord: {
            uuid: "e40dd9ef-0944-4ce5-bc90-1edd2548619a",
            status: "SUCCESS",
            aiRecordDetail: { resultObject: ["images/out.png"] },
          },
        },
      };
    });
    const upscaler = createUpscaler({
      provider: "onemin",
      apiKeys: { onemin: "k" },
      baseUrls: { onemin: { api: standIn.url, asset: standIn.url } },
      clock: new VirtualClock({ autoAdvance: true }),
    });
    const result = await upscaler.upscale(await makeImage(4, 4));
    expect(result.images[0]).toMatchObject({ url: `${standIn.url}/images/out.png`, width: 8 });
  });
});
