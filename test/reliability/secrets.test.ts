/**
 * Known keys run through every provider's flows on the standalone server with logging on (and
 * put in the wrong places, as users do: another header, the query string, a cookie). Afterwards
 * the keys must appear nowhere: not in the log lines, the journal, any admin API answer, the
 * dashboard page, an error body, or a webhook delivery (as received, and as the admin API lists
 * them). Where a credential is shown at all, it is an `fp:` fingerprint.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fingerprint } from "../../mocks/engine/journal.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { makeImage } from "../../scripts/lib/images.ts";
import { multipart } from "../../scripts/lib/multipart.ts";
import { type Receiver, startReceiver } from "../helpers/receiver.ts";

const keys = {
  ideogram: "sk-SECRET-ideogram-1234",
  chainhub: "sk-SECRET-chainhub-1234",
  fal: "sk-SECRET-fal-id:sk-SECRET-fal-1234",
  onemin: "sk-SECRET-onemin-1234",
  freepik: "sk-SECRET-freepik-1234",
  magnific: "sk-SECRET-magnific-1234",
  misplacedHeader: "sk-SECRET-misplaced-9999",
  misplacedQuery: "sk-SECRET-query-7777",
  cookie: "sk-SECRET-cookie-3333",
  admin: "adm-SECRET-token-5678",
};
/** Every secret, and the distinctive halves of fal's `id:secret` key. */
const secrets = [...Object.values(keys), "sk-SECRET-fal-id", "sk-SECRET-fal-1234"];

let server: MockServer;
let receiver: Receiver;
const logLines: string[] = [];
/** Every answer body the flows received (errors included). */
const answers: string[] = [];
/** Every webhook delivery as received: its headers and its body, two entries each. */
const received = () =>
  receiver.received.flatMap((delivery) => [JSON.stringify(delivery.headers), delivery.body]);
let hookUrl: string;
let png: Uint8Array<ArrayBuffer>;

beforeAll(async () => {
  receiver = await startReceiver();
  hookUrl = `${receiver.url}/hooks`;
  server = await startMockServer({
    port: 0,
    latency: "none",
    adminToken: keys.admin,
    log: (line) => logLines.push(line),
  });
  png = await makeImage(20, 14, "png");
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

async function call(url: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  answers.push(await response.clone().text());
  return response;
}
const json = async <T>(response: Response) => (await response.json()) as T;

async function runFlows() {
  const u = server.urls;
  const b64 = Buffer.from(png).toString("base64");

  // Freepik (both hosts), with a signed webhook to our receiver; then an auth error.
  const fk = { "x-freepik-api-key": keys.freepik, "content-type": "application/json" };
  const created = await json<{ data: { task_id: string } }>(
    await call(`${u["freepik.api"]}/v1/ai/image-upscaler`, {
      method: "POST",
      headers: fk,
      body: JSON.stringify({ image: b64, webhook_url: hookUrl }),
    }),
  );
  for (let i = 0; i < 4; i++)
    await call(`${u["freepik.api"]}/v1/ai/image-upscaler/${created.data.task_id}`, { headers: fk });
  await call(`${u["freepik.magnific"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { "x-magnific-api-key": keys.magnific, "content-type": "application/json" },
    body: JSON.stringify({ image: "not base64!" }),
  });

  // fal: storage upload, queued run with a webhook, result; a sync run; a validation error.
  const falAuth = { authorization: `Key ${keys.fal}`, "content-type": "application/json" };
  const initiated = await json<{ upload_url: string; file_url: string }>(
    await call(`${u["fal.rest"]}/storage/upload/initiate?storage_type=fal-cdn-v3`, {
      method: "POST",
      headers: falAuth,
      body: JSON.stringify({ content_type: "image/png", file_name: "in.png" }),
    }),
  );
  await call(initiated.upload_url, { method: "PUT", headers: { "content-type": "image/png" }, body: png });
  const queued = await json<{ status_url: string; response_url: string }>(
    await call(`${u["fal.queue"]}/fal-ai/ideogram/upscale?fal_webhook=${encodeURIComponent(hookUrl)}`, {
      method: "POST",
      headers: falAuth,
      body: JSON.stringify({ image_url: initiated.file_url }),
    }),
  );
  for (let i = 0; i < 4; i++) await call(`${queued.status_url}?logs=1`, { headers: falAuth });
  await call(queued.response_url, { headers: falAuth });
  await call(`${u["fal.run"]}/fal-ai/ideogram/upscale`, {
    method: "POST",
    headers: falAuth,
    body: JSON.stringify({ image_url: `data:image/png;base64,${b64}`, sync_mode: true }),
  });
  await call(`${u["fal.run"]}/fal-ai/ideogram/upscale`, { method: "POST", headers: falAuth, body: "{" });
  await call(`${u["fal.run"]}/fal-ai/ideogram/upscale`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.fal}`, "content-type": "application/json" },
    body: "{}",
  });

  // Ideogram and chainhub (multipart), 1min.ai (asset, then feature).
  const form = multipart([
    { name: "image_request", value: "{}" },
    { name: "image_file", value: png, filename: "in.png", type: "image/png" },
  ]);
  await call(`${u["ideogram.api"]}/upscale`, {
    method: "POST",
    headers: { "api-key": keys.ideogram, "content-type": form.contentType },
    body: form.body,
  });
  await call(`${u["ideogram.api"]}/upscale`, {
    method: "POST",
    headers: { authorization: `Bearer ${keys.ideogram}`, "content-type": form.contentType },
    body: form.body,
  });
  const task = await json<{ data: { task_id: string } }>(
    await call(`${u["chainhub.api"]}/ideogram/upscale`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${keys.chainhub}`,
        accept: "application/json",
        "content-type": form.contentType,
      },
      body: form.body,
    }),
  );
  for (let i = 0; i < 3; i++)
    await call(`${u["chainhub.api"]}/ideogram/upscale/${task.data.task_id}`, {
      headers: { authorization: `Bearer ${keys.chainhub}`, accept: "application/json" },
    });
  const asset = multipart([{ name: "asset", value: png, filename: "in.png", type: "image/png" }]);
  const uploaded = await json<{ fileContent: { path: string } }>(
    await call(`${u["onemin.api"]}/api/assets`, {
      method: "POST",
      headers: { "api-key": keys.onemin, "content-type": asset.contentType },
      body: asset.body,
    }),
  );
  await call(`${u["onemin.api"]}/api/features`, {
    method: "POST",
    headers: { "api-key": keys.onemin, "content-type": "application/json" },
    body: JSON.stringify({
      type: "IMAGE_UPSCALER",
      model: "ideogram-3",
      promptObject: { imageUrl: uploaded.fileContent.path, num_images: 1 },
    }),
  });

  // Keys where they do not belong: another header, the query string, a cookie.
  await call(
    `${u["freepik.api"]}/v1/ai/image-upscaler?api_key=${keys.misplacedQuery}&token=${keys.misplacedQuery}`,
    {
      headers: { "x-api-key": keys.misplacedHeader, cookie: `session=${keys.cookie}` },
    },
  );
  // The scenario and namespace headers are echoed: a key pasted there by mistake must not be.
  await call(`${u["freepik.api"]}/v1/ai/image-upscaler`, {
    headers: { ...fk, "x-mock-scenario": "auth-failure" },
  });
}

/** Every admin answer, fetched with the token each way the API takes it. */
async function adminAnswers(): Promise<string[]> {
  const out: string[] = [];
  const get = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${server.url}/__admin/${path}`, init);
    out.push(`${response.status} ${JSON.stringify([...response.headers])} ${await response.text()}`);
    return response;
  };
  const header = { headers: { "x-admin-token": keys.admin } };
  for (const path of [
    "health",
    "server",
    "scenarios",
    "journal",
    "journal?limit=1000",
    "tasks",
    "webhooks",
    "clock",
    "settings",
    "upscales?limit=50",
    "journal.har",
    "timeline?limit=500",
    "rates",
  ])
    expect((await get(path, header)).status, path).toBe(200);
  // Each exchange in detail: headers, body previews and images.
  const journal = await fetch(`${server.url}/__admin/journal?limit=1000`, header);
  const { entries } = (await journal.json()) as { entries: Array<{ seq: number; namespace: string }> };
  for (const entry of entries)
    expect((await get(`journal/${entry.seq}?namespace=${entry.namespace}`, header)).status).toBe(200);
  await get("journal", { headers: { authorization: `Bearer ${keys.admin}` } });
  await get(`tasks?token=${keys.admin}`);
  const list = await fetch(`${server.url}/__admin/tasks`, header);
  const { tasks } = (await list.json()) as { tasks: Array<{ id: string }> };
  expect(tasks.length).toBeGreaterThanOrEqual(3);
  for (const task of tasks) await get(`tasks/${task.id}`, header);
  await get("ui");
  await get("journal"); // without the token: the 401 body
  await get("journal", { headers: { "x-admin-token": "wrong" } });
  return out;
}

describe("keys never leave the server", () => {
  it("runs every provider's flows (with webhooks) and the admin API", async () => {
    await runFlows();
    // Webhooks go out on the real clock: wait until both have arrived.
    // Freepik: COMPLETED (submit already said IN_PROGRESS); fal: the outcome. Two entries
    // (headers, body) each.
    for (let i = 0; i < 250 && received().length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    expect(received().length).toBe(4);
    expect(logLines.length).toBeGreaterThan(20);
  });

  it("nowhere: logs, journal, admin answers, dashboard, error bodies, webhook deliveries", async () => {
    const admin = await adminAnswers();
    const places: Record<string, string[]> = {
      "log lines": logLines,
      "admin API answers and dashboard": admin,
      "answers and error bodies": answers,
      "webhook deliveries as received": received(),
    };
    for (const [where, texts] of Object.entries(places)) {
      const all = texts.join("\n");
      for (const secret of secrets) expect(all.includes(secret), `${secret} found in ${where}`).toBe(false);
      expect(all, where).not.toMatch(/SECRET/);
    }
  });

  it("credentials appear as fingerprints in the journal, including the misplaced ones", async () => {
    const journal = (await (
      await fetch(`${server.url}/__admin/journal?limit=1000`, { headers: { "x-admin-token": keys.admin } })
    ).json()) as { entries: Array<{ headers: Record<string, string> }> };
    const shown = journal.entries.flatMap((e) => Object.values(e.headers));
    for (const value of [
      `Key ${keys.fal}`,
      keys.freepik,
      keys.ideogram,
      keys.misplacedHeader,
      `session=${keys.cookie}`,
    ])
      expect(shown).toContain(fingerprint(value));
    const misplaced = journal.entries.find((e) => e.headers["x-api-key"]);
    expect(misplaced?.headers["x-api-key"]).toMatch(/^fp:[0-9a-f]{8}$/);
  });

  it("a key in the query string is logged as a fingerprint", () => {
    const line = logLines.find((l) => l.includes("api_key="));
    expect(line).toBeDefined();
    expect(line).toContain(encodeURIComponent(fingerprint(keys.misplacedQuery)));
  });

  it("the webhook deliveries the admin API lists carry no keys (bodies and URLs only)", async () => {
    const hooks = (await (
      await fetch(`${server.url}/__admin/webhooks`, { headers: { "x-admin-token": keys.admin } })
    ).json()) as { deliveries: Array<{ state: string; body: string }> };
    expect(hooks.deliveries.length).toBeGreaterThanOrEqual(2);
    expect(hooks.deliveries.every((d) => d.state === "delivered")).toBe(true);
    expect(JSON.stringify(hooks)).not.toMatch(/SECRET/);
  });
});
