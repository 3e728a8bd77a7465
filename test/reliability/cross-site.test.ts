/**
 * Cross-site writes to the admin API, sent over HTTP exactly as a browser would send them for a
 * page on another origin: every state-changing route refuses them with a reason and the state
 * survives; the server's own origin, non-browser clients and a link to the dashboard still work;
 * and the admin token is still required on top.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { send } from "../helpers/raw-http.ts";
import { startUpscaledServer, type UpscaledServer } from "../helpers/upscaled-server.ts";

let server: MockServer;
let taskId: string;
let fileId: string;
let snapshot: UpscaledServer["snapshot"];
const evil = "http://evil.invalid";

beforeAll(async () => {
  ({ server, taskId, fileId, snapshot } = await startUpscaledServer());
});
afterAll(() => server?.close());

/** Every state-changing admin route, with the body a page would try. */
const writes = () => [
  { method: "POST", path: "reset", body: "{}" },
  { method: "POST", path: "clock/advance", body: '{"ms": 3600000}' },
  { method: "POST", path: `tasks/${taskId}/state`, body: '{"state": "FAILED"}' },
  { method: "PUT", path: "scenarios", body: '{"provider": "*", "scenario": "outage"}' },
  { method: "POST", path: "scenarios", body: '{"provider": "*", "scenario": "outage"}' },
  { method: "DELETE", path: "scenarios", body: "" },
  { method: "PUT", path: "settings", body: '{"key": "chainhub.mode", "value": "passthrough"}' },
];

const own = () => new URL(server.url).origin;
const admin = (method: string, path: string, headers: Record<string, string>, body?: string) =>
  send(server.url, method, `/__admin/${path}`, headers, body);
const errorOf = (text: string) => (JSON.parse(text) as { error: string }).error;

describe("cross-site writes to the admin API", () => {
  it("a simple request (text/plain, no preflight) from a foreign origin: 403 on every write, state kept", async () => {
    const before = snapshot();
    for (const route of writes()) {
      const answer = await admin(
        route.method,
        route.path,
        { origin: evil, "content-type": "text/plain" },
        route.body,
      );
      expect(answer.status, `${route.method} ${route.path}`).toBe(403);
      expect(errorOf(answer.text)).toMatch(/evil\.invalid, not from this server's own origin/);
    }
    expect(snapshot()).toEqual(before);
  });

  it("a form post, and Origin null (sandboxed frames, file: pages), are refused the same way", async () => {
    const before = snapshot();
    const form = { "content-type": "application/x-www-form-urlencoded" };
    for (const origin of [evil, "null", "http://localhost:1", `${own()}.evil.invalid`]) {
      const answer = await admin("POST", "reset", { ...form, origin }, "a=1");
      expect(answer.status, origin).toBe(403);
    }
    // The page's own JSON, were it allowed to send it, is refused on its Origin alone.
    expect(
      (await admin("POST", "reset", { origin: evil, "content-type": "application/json" }, "{}")).status,
    ).toBe(403);
    expect(snapshot()).toEqual(before);
  });

  it("Sec-Fetch-Site: cross-site is refused even without an Origin", async () => {
    const before = snapshot();
    for (const route of writes()) {
      const answer = await admin(
        route.method,
        route.path,
        { "sec-fetch-site": "cross-site", "content-type": "application/json" },
        route.body,
      );
      expect(answer.status, `${route.method} ${route.path}`).toBe(403);
      expect(errorOf(answer.text)).toMatch(/Sec-Fetch-Site: cross-site/);
    }
    expect(snapshot()).toEqual(before);
  });

  it("a preflight from a foreign origin is refused, with no CORS approval", async () => {
    const answer = await admin("OPTIONS", "reset", {
      origin: evil,
      "access-control-request-method": "POST",
      "access-control-request-headers": "content-type",
    });
    expect(answer.status).toBe(403);
    expect(errorOf(answer.text)).toMatch(/preflight/);
    expect(Object.keys(answer.headers).filter((name) => name.startsWith("access-control-"))).toEqual([]);
  });

  it("from the server's own origin, a write must be declared JSON: text/plain gets 415, state kept", async () => {
    const before = snapshot();
    for (const route of writes().filter((r) => r.body)) {
      const answer = await admin(
        route.method,
        route.path,
        { origin: own(), "content-type": "text/plain" },
        route.body,
      );
      expect(answer.status, `${route.method} ${route.path}`).toBe(415);
      expect(errorOf(answer.text)).toMatch(/content-type: application\/json/);
    }
    // A body without any declared type is not JSON either.
    expect((await admin("POST", "reset", {}, "{}")).status).toBe(415);
    expect(snapshot()).toEqual(before);
  });

  it("cross-site embedding of admin files is refused; following a link to the dashboard is not", async () => {
    const image = { "sec-fetch-site": "cross-site", "sec-fetch-mode": "no-cors", "sec-fetch-dest": "image" };
    expect((await admin("GET", `files/${fileId}`, image)).status).toBe(403);
    expect((await admin("GET", "journal", { ...image, "sec-fetch-dest": "empty" })).status).toBe(403);
    const link = {
      "sec-fetch-site": "cross-site",
      "sec-fetch-mode": "navigate",
      "sec-fetch-dest": "document",
    };
    const page = await admin("GET", "ui", link);
    expect(page.status).toBe(200);
    expect(page.text).toContain("upscale-harness simulators");
    expect(
      (await admin("GET", `files/${fileId}`, { ...image, "sec-fetch-site": "same-origin" })).status,
    ).toBe(200);
  });

  it("the server's own origin (the dashboard) and non-browser clients still write", async () => {
    const json = { "content-type": "application/json; charset=utf-8" };
    const sameOrigin = { ...json, origin: own(), "sec-fetch-site": "same-origin" };
    const set = await admin("PUT", "scenarios", sameOrigin, '{"provider": "fal", "scenario": "outage"}');
    expect(set.status).toBe(200);
    expect(server.simulator.namespace().scenarios.get("fal")).toBe("outage");
    // A client without Origin (curl, node, the CLI), with JSON or with no body at all.
    expect((await admin("DELETE", "scenarios?provider=fal", {})).status).toBe(200);
    expect(server.simulator.namespace().scenarios.has("fal")).toBe(false);
    const advanced = await admin("POST", "clock/advance", json, '{"ms": 1000}');
    expect(advanced.status).toBe(200);
    // The same origin named as localhost is another origin, but "localhost" reaches it too.
    const port = new URL(server.url).port;
    const viaLocalhost = { ...json, host: `localhost:${port}`, origin: `http://localhost:${port}` };
    expect((await admin("PUT", "settings", viaLocalhost, '{"key": "a", "value": "b"}')).status).toBe(200);
    expect((await admin("POST", "reset", {})).status).toBe(200);
    expect(server.simulator.namespace().tasks.list()).toEqual([]);
  });
});

describe("with an admin token", () => {
  const token = "cross-site-token-0123456789";
  let guarded: MockServer;
  beforeAll(async () => {
    guarded = await startMockServer({ port: 0, latency: "none", adminToken: token });
  });
  afterAll(() => guarded?.close());

  it("the token is required on top of the origin rules, and does not lift them", async () => {
    const json = { "content-type": "application/json" };
    const ownOrigin = new URL(guarded.url).origin;
    const at = (headers: Record<string, string>) =>
      send(
        guarded.url,
        "PUT",
        "/__admin/scenarios",
        { ...json, ...headers },
        '{"provider": "*", "scenario": "outage"}',
      );
    expect((await at({ origin: ownOrigin })).status).toBe(401);
    expect((await at({ origin: evil, "x-admin-token": token })).status).toBe(403);
    expect(guarded.simulator.namespace().scenarios.size).toBe(0);
    expect((await at({ origin: ownOrigin, "x-admin-token": token })).status).toBe(200);
    expect(guarded.simulator.namespace().scenarios.get("*")).toBe("outage");
  });
});
