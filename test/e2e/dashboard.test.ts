/**
 * The dashboard in real headless Chromium (Debian's, driven by playwright-core): switching a
 * provider to outage in the page makes the server answer the next request with 503, and the
 * page shows the request, the task and the before/after images.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { launchChromium } from "../helpers/chromium.ts";

let server: MockServer;
let browser: Browser;

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const submit = async () =>
  fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { "x-freepik-api-key": "k", "content-type": "application/json" },
    body: JSON.stringify({ image: toBase64(await makeImage(24, 16)) }),
  });

describe("dashboard", () => {
  it("runs under its own policy: script and styles from its origin, nothing refused", async () => {
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
    });
    const response = await page.goto(`${server.url}/__admin/ui`);
    expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(response?.headers()["x-frame-options"]).toBe("DENY");
    // The script ran (it fills the providers) and the stylesheet applied (grid layout).
    await expect.poll(() => page.locator("#providers .provider").count()).toBeGreaterThan(0);
    const display = await page.locator("#providers").evaluate((node) => getComputedStyle(node).display);
    expect(display).toBe("grid");
    expect(refused).toEqual([]);
    await page.close();
  });

  it("switches freepik to outage from the page; the next request is answered 503", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/__admin/ui`);
    const select = page.locator("#scenario-freepik");
    await expect(select.inputValue()).resolves.toBe("healthy");

    expect((await submit()).status).toBe(200);
    await select.selectOption("outage");
    await expect
      .poll(async () => (await (await fetch(`${server.url}/__admin/scenarios`)).json()).scenarios.freepik)
      .toBe("outage");
    expect((await submit()).status).toBe(503);

    // The journal in the page shows both answers.
    await expect
      .poll(() => page.locator("#journal td.status-5").count(), { timeout: 5_000 })
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.locator("#journal td.status-2").count(), { timeout: 5_000 })
      .toBeGreaterThan(0);

    await select.selectOption("healthy");
    await expect.poll(async () => (await submit()).status).toBe(200);
    await page.close();
  });

  it("shows tasks and the last upscale before and after", async () => {
    const page = await browser.newPage();
    const { data } = (await (await submit()).json()) as { data: { task_id: string } };
    for (let i = 0; i < 3; i++) {
      await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler/${data.task_id}`, {
        headers: { "x-freepik-api-key": "k" },
      });
    }
    await page.goto(`${server.url}/__admin/ui`);
    await expect.poll(() => page.locator("#tasks").innerText(), { timeout: 5_000 }).toContain(data.task_id);
    const images = page.locator("#upscales img");
    await expect.poll(() => images.count(), { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    const sizes = await images.evaluateAll((nodes) =>
      (nodes as HTMLImageElement[]).slice(0, 2).map((img) => ({ w: img.naturalWidth, h: img.naturalHeight })),
    );
    expect(sizes).toEqual([
      { w: 24, h: 16 },
      { w: 48, h: 32 },
    ]);
    await page.close();
  });
});
