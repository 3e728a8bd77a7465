/**
 * The simulator next to a real browser (Debian's headless Chromium): a page served from another
 * loopback origin (127.0.0.2) tries the writes any page can send without asking, `fetch` with
 * `mode: "no-cors"` and form posts, and frames the dashboard; a page on a name re-pointed at
 * 127.0.0.1 (DNS rebinding, played with Chromium's resolver rules) tries to read the journal
 * and the uploads. Each attempt reaches the server and is refused; the state is unchanged.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser, Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MockServer } from "../../mocks/server/server.ts";
import { launchChromium } from "../helpers/chromium.ts";
import { startUpscaledServer, type UpscaledServer } from "../helpers/upscaled-server.ts";

let server: MockServer;
let attacker: Server;
let attackerUrl: string;
let browser: Browser;
let taskId: string;
let snapshot: UpscaledServer["snapshot"];
/** The attacking page, as the attacker's server sends it. */
let attackPage = "";

beforeAll(async () => {
  ({ server, taskId, snapshot } = await startUpscaledServer());
  attacker = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(attackPage);
  });
  await new Promise<void>((resolve) => attacker.listen(0, "127.0.0.2", resolve));
  attackerUrl = `http://127.0.0.2:${(attacker.address() as AddressInfo).port}`;
  const port = new URL(server.url).port;
  browser = await launchChromium([`--host-resolver-rules=MAP rebind.invalid 127.0.0.1:${port}`]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => attacker?.close(resolve));
  await server?.close();
});

/** Every answer the page (and its frames) got from the simulator's admin API. */
function adminAnswers(page: Page): Response[] {
  const seen: Response[] = [];
  page.on("response", (response) => {
    if (response.url().startsWith(`${server.url}/__admin/`)) seen.push(response);
  });
  return seen;
}

describe("a page on another origin", () => {
  it("sends no-cors fetches and form posts: each reaches the server, is refused, and changes nothing", async () => {
    const admin = `${server.url}/__admin`;
    const writes = [
      ["reset", "{}"],
      ["clock/advance", '{"ms": 3600000}'],
      [`tasks/${taskId}/state`, '{"state": "FAILED"}'],
      ["scenarios", '{"provider": "*", "scenario": "outage"}'],
    ];
    attackPage = `<!doctype html><body>
      <iframe name="sink"></iframe>
      <form id="plain" method="post" enctype="text/plain" target="sink" action="${admin}/reset">
        <input name='{"namespace": "default", "x": "' value='"}'></form>
      <form id="urlencoded" method="post" target="sink" action="${admin}/clock/advance">
        <input name="ms" value="3600000"></form>
      <script>
        const writes = ${JSON.stringify(writes)};
        Promise.all(writes.map(([path, body]) => fetch(${JSON.stringify(admin)} + "/" + path, {
          method: "POST", mode: "no-cors", headers: { "content-type": "text/plain" }, body,
        }).then((r) => r.type))).then((types) => { document.title = "fetched " + types.join(","); });
        document.getElementById("plain").submit();
      </script></body>`;
    const before = snapshot();
    const page = await browser.newPage();
    const answers = adminAnswers(page);
    await page.goto(`${attackerUrl}/attack`);
    // An opaque answer: the page learns nothing, not even the status.
    await expect.poll(() => page.title()).toBe("fetched opaque,opaque,opaque,opaque");
    await expect.poll(() => answers.length).toBe(writes.length + 1);
    await page.evaluate(() => (document.getElementById("urlencoded") as HTMLFormElement).submit());
    await expect.poll(() => answers.length).toBe(writes.length + 2);
    for (const answer of answers) expect(answer.status(), answer.url()).toBe(403);
    expect(snapshot()).toEqual(before);
    await page.close();
  });

  it("cannot frame the dashboard", async () => {
    attackPage = `<!doctype html><body><iframe id="ui" src="${server.url}/__admin/ui"></iframe></body>`;
    const page = await browser.newPage();
    const answers = adminAnswers(page);
    const refused: string[] = [];
    page.on("console", (message) => refused.push(message.text()));
    await page.goto(`${attackerUrl}/frame`);
    await expect.poll(() => answers.map((a) => new URL(a.url()).pathname)).toContain("/__admin/ui");
    await expect.poll(() => refused.join("\n")).toMatch(/frame-ancestors/);
    // The page inside never ran: its script was never even fetched.
    expect(answers.map((a) => new URL(a.url()).pathname)).not.toContain("/__admin/ui.js");
    await page.close();
  });
});

describe("a page on a rebound name (DNS rebinding)", () => {
  it("reads neither the journal, nor the uploads, nor a provider route", async () => {
    const port = new URL(server.url).port;
    const origin = `http://rebind.invalid:${port}`;
    const page = await browser.newPage();
    // After the rebinding the page's name resolves to 127.0.0.1, so its document and every call it
    // makes go to the simulator; the script below is the attacker's, running in that origin.
    await page.goto(`${origin}/`);
    const results = await page.evaluate(async () => {
      const out: Array<{ path: string; status: number; text: string }> = [];
      for (const path of [
        "/__admin/journal",
        "/__admin/upscales",
        "/__admin/ui",
        "/freepik/v1/ai/image-upscaler",
      ]) {
        const response = await fetch(path, { headers: { "x-freepik-api-key": "k" } });
        out.push({ path, status: response.status, text: await response.text() });
      }
      return out;
    });
    for (const { path, status, text } of results) {
      expect(status, path).toBe(403);
      expect(text, path).toContain("--allowed-hosts rebind.invalid");
      expect(text, path).not.toMatch(/"entries"|"upscales"|"data"/);
    }
    await page.close();
  });
});
