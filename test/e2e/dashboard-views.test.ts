/**
 * The dashboard's views in real headless Chromium at 1400×1000: after a Freepik task and a fal
 * queue request (with a webhook answered 500, then 200), the timeline draws both with the
 * states they went through, a request row opens its detail with the spec check, the HAR link is
 * there, the charts and the before/after slider show, and the page raises no error. Screenshots
 * go to .tmp/screenshots/ for a look.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { projectRoot } from "../../scripts/spec-files.ts";
import { launchChromium } from "../helpers/chromium.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

const shots = join(projectRoot, ".tmp/screenshots");
let server: MockServer;
let receiver: Receiver;
let browser: Browser;
let page: Page;
const errors: string[] = [];

async function freepikTask() {
  const headers = { "x-freepik-api-key": "fpk-dashboard-key", "content-type": "application/json" };
  const base = `${server.urls["freepik.api"]}/v1/ai/image-upscaler`;
  const submitted = await fetch(base, {
    method: "POST",
    headers,
    body: JSON.stringify({ image: toBase64(await makeImage(64, 48)) }),
  });
  const { data } = (await submitted.json()) as { data: { task_id: string; status: string } };
  const states = [data.status];
  await fetch(`${base}/${data.task_id}`, { headers: { ...headers, "x-mock-scenario": "outage" } });
  for (let i = 0; i < 4; i++) {
    const polled = (await (await fetch(`${base}/${data.task_id}`, { headers })).json()) as {
      data: { status: string };
    };
    states.push(polled.data.status);
  }
  return states;
}

async function falRequest() {
  const headers = { authorization: "Key fal-dashboard:secret", "content-type": "application/json" };
  const image = `data:image/png;base64,${toBase64(await makeImage(48, 32))}`;
  const hook = encodeURIComponent(`${receiver.url}/fal`);
  const submitted = await fetch(`${server.urls["fal.queue"]}/fal-ai/ideogram/upscale?fal_webhook=${hook}`, {
    method: "POST",
    headers,
    body: JSON.stringify({ image_url: image }),
  });
  const { status_url, response_url, status } = (await submitted.json()) as {
    status_url: string;
    response_url: string;
    status: string;
  };
  const states = [status];
  for (let i = 0; i < 5; i++)
    states.push(((await (await fetch(status_url, { headers })).json()) as { status: string }).status);
  await fetch(response_url, { headers });
  return states;
}

/** Whether `wanted` appears in `states` in the same order (other states may come between). */
const inOrder = (states: Array<string | null>, wanted: string[]) => {
  let at = 0;
  for (const state of states) if (state === wanted[at]) at++;
  return at === wanted.length;
};

/** The states a client saw, each once, in order: the timeline must show these. */
const distinct = (states: string[]) => states.filter((state, i) => state !== states[i - 1]);
const seen: Record<string, string[]> = {};

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  receiver = await startReceiver({ answer: (n) => (n === 0 ? 500 : 200) });
  server = await startMockServer({ port: 0, latency: "none" });
  browser = await launchChromium();
  seen.freepik = distinct(await freepikTask());
  seen.fal = distinct(await falRequest());
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  await page.goto(`${server.url}/__admin/ui`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await receiver?.close();
});

const statesOf = (provider: string) =>
  page
    .locator(`#timeline g.tl-row[data-provider="${provider}"] rect.tl-span`)
    .evaluateAll((nodes) => nodes.map((node) => node.getAttribute("data-state")));

describe("dashboard views", () => {
  it("draws a Freepik task and a fal request on the timeline with the states they went through", async () => {
    for (const provider of ["freepik", "fal"]) {
      expect(seen[provider]!.at(-1)).toBe("COMPLETED");
      expect(seen[provider]!.length).toBeGreaterThanOrEqual(2);
      // Every state the client saw, in order (the timeline may also hold states between polls).
      await expect
        .poll(async () => inOrder(await statesOf(provider), seen[provider]!), { timeout: 5_000 })
        .toBe(true);
      expect((await statesOf(provider)).at(-1)).toBe("COMPLETED");
    }
    const freepik = page.locator('#timeline g.tl-row[data-provider="freepik"]');
    await expect(freepik.locator(".tl-fault").count()).resolves.toBe(1);
    await expect(freepik.locator(".tl-fault").getAttribute("data-tip")).resolves.toMatch(/503 \[outage\]/);
    await expect(freepik.locator(".tl-call").count()).resolves.toBeGreaterThanOrEqual(4);
    // fal's webhook: the first attempt answered 500, the retry 200 (retries run on the clock).
    const fal = page.locator('#timeline g.tl-row[data-provider="fal"]');
    await expect
      .poll(() => fal.locator(".tl-webhook").count(), { timeout: 10_000 })
      .toBeGreaterThanOrEqual(1);
    await expect(fal.locator(".tl-webhook.tl-failed").first().getAttribute("data-tip")).resolves.toMatch(
      /→ 500/,
    );
    // Hovering a mark names it.
    await freepik.locator(".tl-fault").hover();
    await expect.poll(() => page.locator("#timeline-tip").innerText()).toMatch(/getUpscale → 503/);
    await page.locator("#timeline-section").screenshot({ path: join(shots, "timeline.png") });
  });

  it("filters the timeline by provider and outcome", async () => {
    await page.locator("#tl-provider").selectOption("fal");
    await expect.poll(() => page.locator("#timeline g.tl-row").count()).toBe(1);
    await page.locator("#tl-outcome").selectOption("running");
    await expect.poll(() => page.locator("#timeline").innerText()).toContain("No task");
    await page.locator("#tl-outcome").selectOption("");
    await page.locator("#tl-provider").selectOption("");
    await expect.poll(() => page.locator("#timeline g.tl-row").count()).toBe(2);
  });

  it("opens a request's detail: fingerprinted key, body, image and spec check", async () => {
    const submit = page.locator("#journal tr", { hasText: "createUpscale" });
    await submit.click();
    const dialog = page.locator("#detail");
    await expect.poll(() => dialog.evaluate((node) => (node as HTMLDialogElement).open)).toBe(true);
    const text = () => page.locator("#detail-body").innerText();
    await expect.poll(text).toContain("valid against the provider's spec");
    expect(await text()).toMatch(/x-freepik-api-key\s+fp:[0-9a-f]{8}/);
    expect(await text()).not.toContain("fpk-dashboard-key");
    const width = await page
      .locator("#detail-body img")
      .first()
      .evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(width).toBe(64);
    await page.screenshot({ path: join(shots, "detail.png") });
    await page.locator("#detail-close").click();
    await expect.poll(() => dialog.evaluate((node) => (node as HTMLDialogElement).open)).toBe(false);
  });

  it("links the HAR export, shows the charts and the before/after slider", async () => {
    const href = await page.locator("#har-link").getAttribute("href");
    expect(href).toBe("/__admin/journal.har");
    const har = (await (await fetch(`${server.url}${href}`)).json()) as { log: { entries: unknown[] } };
    expect(har.log.entries.length).toBeGreaterThan(8);
    await expect.poll(() => page.locator("#charts polyline").count()).toBeGreaterThanOrEqual(2);
    // The outage answer shows as freepik's error share.
    const errorChart = page.locator("#charts figure").nth(1);
    await expect.poll(() => errorChart.locator(".chart-dot, .chart-line").count()).toBeGreaterThanOrEqual(1);
    await expect(page.locator("#charts .chart-legend").innerText()).resolves.toMatch(
      /freepik 6 requests · 1 errors/,
    );
    const compare = page.locator("#upscales figure.compare").first();
    await expect
      .poll(() => compare.locator("figcaption").innerText())
      .toMatch(/before \d+×\d+ → after \d+×\d+/);
    await compare.locator("input[type=range]").fill("20");
    await expect(
      compare.locator("img.before").evaluate((img) => (img as HTMLElement).style.clipPath),
    ).resolves.toBe("inset(0px 80% 0px 0px)");
    await page.screenshot({ path: join(shots, "dashboard.png"), fullPage: true });
    expect(errors).toEqual([]);
  });
});
