/**
 * The browser MSW handlers in real headless Chromium: a page bundled with esbuild starts MSW's
 * service worker with `createBrowserHandlers`, calls the providers' real hosts, and the calls
 * reach the standalone server (through its CORS) and come back as real upscaled images.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage, toBase64 } from "../../scripts/lib/images.ts";
import { launchChromium } from "../helpers/chromium.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** The page: MSW's worker with the browser handlers, and two flows the test calls. */
const pageScript = `
import { setupWorker } from "msw/browser";
import { createBrowserHandlers } from "./mocks/msw-browser.ts";

const params = new URLSearchParams(location.search);
const worker = setupWorker(
  ...createBrowserHandlers({ serverUrl: params.get("server"), namespace: params.get("ns") ?? undefined }),
);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const sizeOf = (url) =>
  new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error("Failed to load " + url));
    img.src = url;
  });

globalThis.ready = worker
  .start({ serviceWorker: { url: "/mockServiceWorker.js" }, quiet: true, onUnhandledRequest: "bypass" })
  .then(() => true);

globalThis.freepik = async (image) => {
  const api = "https://api.freepik.com/v1/ai/image-upscaler";
  const key = { "x-freepik-api-key": "fpk-browser" };
  const submit = await fetch(api, {
    method: "POST",
    headers: { ...key, "content-type": "application/json" },
    body: JSON.stringify({ image }),
  });
  let task = (await submit.json()).data;
  const statuses = [task.status];
  for (let i = 0; i < 50 && task.status !== "COMPLETED"; i++) {
    await sleep(10);
    task = (await (await fetch(api + "/" + task.task_id, { headers: key })).json()).data;
    statuses.push(task.status);
  }
  const url = task.generated[0];
  return { submitStatus: submit.status, taskId: task.task_id, statuses, url, size: await sizeOf(url) };
};

globalThis.fal = async (imageUrl) => {
  const queue = "https://queue.fal.run/fal-ai/ideogram";
  const auth = { authorization: "Key browser-id:browser-secret" };
  const submit = await fetch(queue + "/upscale", {
    method: "POST",
    headers: { ...auth, "content-type": "application/json" },
    body: JSON.stringify({ image_url: imageUrl }),
  });
  const queued = await submit.json();
  const statuses = [];
  for (let i = 0; i < 50; i++) {
    const status = await (await fetch(queue + "/requests/" + queued.request_id + "/status", { headers: auth })).json();
    statuses.push(status.status);
    if (status.status === "COMPLETED") break;
    await sleep(10);
  }
  const result = await fetch(queue + "/requests/" + queued.request_id, { headers: auth });
  const output = await result.json();
  return {
    submitStatus: submit.status,
    requestIdHeader: submit.headers.get("x-fal-request-id"),
    requestId: queued.request_id,
    statusUrl: queued.status_url,
    statuses,
    resultStatus: result.status,
    url: output.images[0].url,
    size: await sizeOf(output.images[0].url),
  };
};
`;

interface Flow {
  submitStatus: number;
  statuses: string[];
  url: string;
  size: { width: number; height: number };
}
interface PageApi {
  ready: Promise<boolean>;
  freepik(image: string): Promise<Flow & { taskId: string }>;
  fal(
    imageUrl: string,
  ): Promise<
    Flow & { requestIdHeader: string | null; requestId: string; statusUrl: string; resultStatus: number }
  >;
}

let server: MockServer;
let statics: Server;
let staticUrl: string;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none" });
  dir = await mkdtemp(join(tmpdir(), "msw-browser-"));
  const { metafile } = await build({
    stdin: { contents: pageScript, resolveDir: root, sourcefile: "page.ts", loader: "ts" },
    bundle: true,
    platform: "browser",
    format: "esm",
    outfile: join(dir, "page.js"),
    write: true,
    metafile: true,
    logLevel: "silent",
  });
  // The page carries only the adapter and the host table, never the simulators or sharp.
  const bundled = Object.keys(metafile.inputs).filter((p) =>
    /sharp|mocks\/(engine|providers|server)\//.test(p),
  );
  expect(bundled).toEqual([]);
  const files: Record<string, { path: string; type: string }> = {
    "/": { path: join(dir, "index.html"), type: "text/html" },
    "/page.js": { path: join(dir, "page.js"), type: "text/javascript" },
    "/mockServiceWorker.js": {
      path: join(root, "node_modules/msw/lib/mockServiceWorker.js"),
      type: "text/javascript",
    },
  };
  const html =
    '<!doctype html><meta charset="utf-8"><title>msw-browser</title><script type="module" src="/page.js"></script>';
  statics = createServer(async (req, res) => {
    const file = files[(req.url ?? "/").split("?")[0]!];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    const body = file.type === "text/html" ? html : await readFile(file.path);
    res.writeHead(200, { "content-type": file.type, "cache-control": "no-store" }).end(body);
  });
  await new Promise<void>((resolve) => statics.listen(0, "127.0.0.1", resolve));
  staticUrl = `http://127.0.0.1:${(statics.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (statics ? statics.close(() => resolve()) : resolve()));
  statics?.closeAllConnections();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function openPage(namespace?: string): Promise<Page> {
  const page = await browser.newPage();
  const query = new URLSearchParams({ server: server.url, ...(namespace ? { ns: namespace } : {}) });
  await page.goto(`${staticUrl}/?${query}`);
  await page.waitForFunction(() => "ready" in globalThis);
  await page.evaluate(() => (globalThis as unknown as PageApi).ready);
  return page;
}

describe("createBrowserHandlers with setupWorker in Chromium", () => {
  it("freepik: submit, poll to COMPLETED and a 2x image, all on api.freepik.com", async () => {
    const page = await openPage();
    const image = toBase64(await makeImage(24, 16));
    const flow = await page.evaluate((b64) => (globalThis as unknown as PageApi).freepik(b64), image);
    await page.close();

    expect(flow.submitStatus).toBe(200);
    expect(flow.statuses.at(-1)).toBe("COMPLETED");
    expect(flow.url.startsWith(`${server.url}/freepik/`)).toBe(true);
    expect(flow.size).toEqual({ width: 48, height: 32 });

    const journal = server.simulator.namespace().journal.list({ provider: "freepik" });
    const calls = journal.map((e) => `${e.method} ${e.path} ${e.status}`);
    expect(calls).toContain("POST /v1/ai/image-upscaler 200");
    expect(calls).toContain(`GET /v1/ai/image-upscaler/${flow.taskId} 200`);
    expect(journal.find((e) => e.method === "POST")!.headers.origin).toBe(staticUrl);
  });

  it("fal: queue submit, status and result through the worker, in a namespace", async () => {
    const page = await openPage("browser-fal");
    const dataUri = `data:image/png;base64,${toBase64(await makeImage(20, 10))}`;
    const flow = await page.evaluate((uri) => (globalThis as unknown as PageApi).fal(uri), dataUri);
    await page.close();

    expect(flow.submitStatus).toBe(200);
    expect(flow.requestIdHeader).toBe(flow.requestId); // an exposed provider header
    expect(flow.statuses).toEqual(["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]);
    expect(flow.resultStatus).toBe(200);
    // URLs handed back point at the server and keep the namespace.
    expect(flow.statusUrl).toBe(
      `${server.url}/~browser-fal/fal/queue/fal-ai/ideogram/requests/${flow.requestId}/status`,
    );
    expect(flow.url.startsWith(`${server.url}/~browser-fal/fal/media/`)).toBe(true);
    expect(flow.size).toEqual({ width: 40, height: 20 });

    const calls = server.simulator
      .namespace("browser-fal")
      .journal.list({ provider: "fal" })
      .map((e) => `${e.method} ${e.path} ${e.status}`);
    const base = `/fal-ai/ideogram/requests/${flow.requestId}`;
    expect(calls).toContain("POST /fal-ai/ideogram/upscale 200");
    expect(calls).toContain(`GET ${base}/status 200`);
    expect(calls).toContain(`GET ${base} 200`);
    expect(server.simulator.namespace().journal.list({ provider: "fal" })).toEqual([]);
  });
});

describe("CORS on the server", () => {
  it("answers preflights on provider routes, reflecting the requested headers", async () => {
    const response = await fetch(`${server.url}/freepik/v1/ai/image-upscaler`, {
      method: "OPTIONS",
      headers: {
        origin: "http://127.0.0.1:1",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,x-freepik-api-key",
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-headers")).toBe("content-type,x-freepik-api-key");
    expect(response.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("adds allow-origin and expose-headers to provider answers, not to /__admin", async () => {
    const answer = await fetch(`${server.url}/fal/queue/fal-ai/ideogram/requests/nope/status`, {
      headers: { authorization: "Key a:b" },
    });
    expect(answer.headers.get("access-control-allow-origin")).toBe("*");
    expect(answer.headers.get("access-control-expose-headers")).toContain("x-fal-request-id");
    const admin = await fetch(`${server.url}/__admin/health`);
    expect(admin.headers.get("access-control-allow-origin")).toBeNull();
  });
});
