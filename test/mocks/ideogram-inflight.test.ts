/**
 * Ideogram's in-flight limit, on a clock that only moves when told to, so requests can be held
 * in flight deterministically while others arrive.
 */
import { describe, expect, it } from "vitest";
import { ideogram } from "../../mocks/providers/ideogram/definition.ts";
import { imagesInFlight } from "../../mocks/providers/ideogram-family/inflight.ts";
import { makeImage } from "../../scripts/lib/images.ts";
import { VirtualClock } from "../../src/core/clock.ts";
import { useSimulators } from "../helpers/harness.ts";

const clock = new VirtualClock();
const h = useSimulators({ definitions: [ideogram], clock });

async function upscale(numImages: number) {
  const body = new FormData();
  body.append("image_request", JSON.stringify({ num_images: numImages }));
  body.append(
    "image_file",
    new Blob([(await makeImage(8, 8)) as Uint8Array<ArrayBuffer>], { type: "image/png" }),
    "a.png",
  );
  return fetch("https://api.ideogram.ai/upscale", { method: "POST", headers: { "Api-Key": "k" }, body });
}

/** Waits (in real time) until `count` images are being worked on. */
async function untilInFlight(count: number) {
  for (let i = 0; i < 500 && imagesInFlight(h.simulator.namespace()) < count; i++)
    await new Promise((r) => setTimeout(r, 5));
  expect(imagesInFlight(h.simulator.namespace())).toBe(count);
}

describe("ideogram in-flight limit (10 images per organisation, num_images counts each)", () => {
  it("refuses what would go over the limit with 429 inflight_limit and frees slots when answers are sent", async () => {
    const first = upscale(8);
    await untilInFlight(8);

    const refused = await upscale(3);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual({
      error: "Too many in-flight requests. Wait for running upscales to finish, then retry.",
      reject_reason: "inflight_limit",
      max_inflight_requests: 10,
    });

    const second = upscale(2);
    await untilInFlight(10);
    expect((await upscale(1)).status).toBe(429);

    await clock.advance(20_000);
    const answers = await Promise.all([first, second]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(((await answers[0]!.json()) as { data: unknown[] }).data).toHaveLength(8);
    expect(imagesInFlight(h.simulator.namespace())).toBe(0);

    const after = upscale(8);
    await untilInFlight(8);
    await clock.advance(20_000);
    expect((await after).status).toBe(200);
  });

  it("a request refused for bad input takes no slots", async () => {
    const body = new FormData();
    body.append("image_request", JSON.stringify({ num_images: 4 }));
    body.append("image_file", new Blob(["not an image"], { type: "image/png" }), "a.png");
    const bad = await fetch("https://api.ideogram.ai/upscale", {
      method: "POST",
      headers: { "Api-Key": "k" },
      body,
    });
    expect(bad.status).toBe(400);
    expect(imagesInFlight(h.simulator.namespace())).toBe(0);
  });
});
