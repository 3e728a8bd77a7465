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
});
