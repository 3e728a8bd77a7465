/**
 * The admin surface: with a token configured, every /__admin route answers 401 without it (or
 * with a wrong one, whatever its length) and works with it (header, Bearer or ?token=); the
 * token is compared in constant time (hashed, then timingSafeEqual, never a length shortcut);
 * binding beyond loopback without a token is refused; /__admin answers carry no CORS headers,
 * preflights included; the dashboard page loads but its data calls need the token; and neither
 * path tricks nor fal's proxy header reach the admin API around the token.
 */
import * as crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { type Serving, startCli } from "../../scripts/lib/child.ts";
import { makeImage } from "../../scripts/lib/images.ts";
import { runMock } from "../../src/cli/mock-command.ts";

vi.mock("node:crypto", async (importOriginal) => {
  const original = await importOriginal<typeof import("node:crypto")>();
  return { ...original, timingSafeEqual: vi.fn(original.timingSafeEqual) };
});

const token = "admin-token-for-tests-0123456789";
let server: MockServer;
let taskId: string;
let fileId: string;

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none", adminToken: token });
  const created = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
    method: "POST",
    headers: { "x-freepik-api-key": "k", "content-type": "application/json" },
    body: JSON.stringify({ image: Buffer.from(await makeImage(16, 16)).toString("base64") }),
  });
  taskId = ((await created.json()) as { data: { task_id: string } }).data.task_id;
  fileId = server.simulator.services.files.list()[0]!.id;
});
afterAll(() => server?.close());

/** Every admin route, with a body where it takes one. */
const routes = (): Array<{ method: string; path: string; body?: unknown; ok: number }> => [
  { method: "GET", path: "health", ok: 200 },
  { method: "GET", path: "server", ok: 200 },
  { method: "GET", path: "scenarios", ok: 200 },
  { method: "PUT", path: "scenarios", body: { provider: "fal", scenario: "slow" }, ok: 200 },
  { method: "POST", path: "scenarios", body: { provider: "fal", scenario: "healthy" }, ok: 200 },
  { method: "DELETE", path: "scenarios?provider=fal", ok: 200 },
  { method: "GET", path: "journal", ok: 200 },
  { method: "GET", path: "tasks", ok: 200 },
  { method: "GET", path: `tasks/${taskId}`, ok: 200 },
  { method: "POST", path: `tasks/${taskId}/state`, body: { state: "IN_PROGRESS" }, ok: 200 },
  { method: "GET", path: "webhooks", ok: 200 },
  { method: "GET", path: "clock", ok: 200 },
  { method: "POST", path: "clock/advance", body: { ms: 1 }, ok: 409 },
  { method: "GET", path: "settings", ok: 200 },
  { method: "PUT", path: "settings", body: { key: "chainhub.mode", value: "task" }, ok: 200 },
  { method: "GET", path: "upscales", ok: 200 },
  { method: "GET", path: `files/${fileId}`, ok: 200 },
  { method: "GET", path: "no-such-route", ok: 404 },
  { method: "POST", path: "reset", body: { namespace: "nobody" }, ok: 200 },
];

function admin(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  return fetch(`${server.url}/__admin/${path}`, {
    method,
    headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

describe("admin token", () => {
  it("every admin route answers 401 without the token, and does nothing", async () => {
    for (const route of routes()) {
      const response = await admin(route.method, route.path, {}, route.body);
      expect(response.status, `${route.method} ${route.path}`).toBe(401);
      expect(((await response.json()) as { error: string }).error).toMatch(/x-admin-token/);
    }
    // Nothing happened: the task was not forced, the scenario not set.
    expect(server.simulator.namespace().tasks.get(taskId)?.forced).toBeUndefined();
    expect(server.simulator.namespace().scenarios.size).toBe(0);
  });

  it("a wrong token of any length is refused the same way", async () => {
    for (const wrong of [
      "",
      "x",
      token.slice(0, -1),
      `${token}x`,
      token.toUpperCase(),
      `${token}0`,
      "a".repeat(4096),
    ]) {
      const response = await admin("GET", "journal", { "x-admin-token": wrong });
      expect(response.status, JSON.stringify(wrong.slice(0, 40))).toBe(401);
    }
  });

  it("the right token opens every route: header, Bearer or ?token=", async () => {
    for (const route of routes()) {
      const response = await admin(route.method, route.path, { "x-admin-token": token }, route.body);
      expect(response.status, `${route.method} ${route.path}`).toBe(route.ok);
    }
    expect((await admin("GET", "journal", { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await admin("GET", `journal?token=${token}`)).status).toBe(200);
  });

  it("is compared in constant time: hashed to equal lengths, then timingSafeEqual, whatever the guess", async () => {
    const spy = vi.mocked(crypto.timingSafeEqual);
    for (const guess of ["", "short", token.slice(0, -1), token, `${token}-and-much-longer`]) {
      spy.mockClear();
      await admin("GET", "health", { "x-admin-token": guess });
      expect(spy, JSON.stringify(guess)).toHaveBeenCalledTimes(1);
      const [a, b] = spy.mock.calls[0]! as [Uint8Array, Uint8Array];
      expect([a.byteLength, b.byteLength]).toEqual([32, 32]);
    }
  });
});

describe("binding beyond loopback", () => {
  it("startMockServer refuses without a token, before binding", async () => {
    for (const hostname of ["0.0.0.0", "::", "upscale.invalid"])
      await expect(startMockServer({ port: 0, hostname }), hostname).rejects.toThrow(/admin-token/);
  });

  it("the CLI refuses --host 0.0.0.0 without --admin-token", async () => {
    await expect(runMock(["--port", "0", "--host", "0.0.0.0", "--quiet"])).rejects.toThrow(/--admin-token/);
  });

  it("UPSCALE_HARNESS_ADMIN_TOKEN sets the token of the CLI's server", async () => {
    let server: Serving | undefined;
    try {
      server = await startCli(["mock", "--port", "0", "--quiet", "--latency", "none"], {
        UPSCALE_HARNESS_ADMIN_TOKEN: "from-the-env-42",
      });
      const { url } = server;
      expect((await fetch(`${url}/__admin/health`)).status).toBe(401);
      expect(
        (await fetch(`${url}/__admin/health`, { headers: { "x-admin-token": "from-the-env-42" } })).status,
      ).toBe(200);
    } finally {
      await server?.stop();
    }
  }, 30_000);
});

describe("no CORS on the admin API", () => {
  it("answers (401, 200, 404) carry no access-control headers, even to a cross-origin page", async () => {
    for (const headers of [{}, { "x-admin-token": token }] as Array<Record<string, string>>) {
      for (const path of ["health", "journal", "ui", "ui.js", "ui.css", "nope"]) {
        const response = await admin("GET", path, { ...headers, origin: "https://page.invalid" });
        const cors = [...response.headers.keys()].filter((name) => name.startsWith("access-control-"));
        expect(cors, path).toEqual([]);
      }
    }
  });

  it("a preflight to /__admin gets no CORS approval, with or without a token", async () => {
    for (const headers of [{}, { "x-admin-token": token }] as Array<Record<string, string>>) {
      const response = await admin("OPTIONS", "scenarios", {
        ...headers,
        origin: "https://page.invalid",
        "access-control-request-method": "PUT",
        "access-control-request-headers": "x-admin-token, content-type",
        "access-control-request-private-network": "true",
      });
      expect(response.status).not.toBe(204);
      expect([...response.headers.keys()].filter((name) => name.startsWith("access-control-"))).toEqual([]);
    }
  });

  it("provider routes do answer preflights (for the browser handlers): the contrast is deliberate", async () => {
    const response = await fetch(`${server.urls["freepik.api"]}/v1/ai/image-upscaler`, {
      method: "OPTIONS",
      headers: { origin: "https://page.invalid", "access-control-request-method": "POST" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
  });
});

describe("the dashboard", () => {
  it("the page loads without the token, but every data call it makes needs the token", async () => {
    const page = await fetch(`${server.url}/__admin/ui`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/<title>upscale-harness/);
    expect(html).not.toContain(token);
    let code = "";
    for (const file of [
      "ui.js",
      "ui-lib.js",
      "ui-timeline.js",
      "ui-detail.js",
      "ui-charts.js",
      "ui-compare.js",
    ]) {
      const script = await fetch(`${server.url}/__admin/${file}`);
      expect(script.status, file).toBe(200);
      code += await script.text();
    }
    expect(code).not.toContain(token);
    const calls = [...code.matchAll(/api\(["`]([a-z]+)/g)].map((m) => m[1]!);
    expect(new Set(calls)).toEqual(
      new Set([
        "server",
        "scenarios",
        "journal",
        "tasks",
        "webhooks",
        "upscales",
        "rates",
        "health",
        "timeline",
      ]),
    );
    // Links and images carry the token in the query; the HAR export and a detail need it too.
    for (const path of ["journal.har", "journal/1"])
      expect((await admin("GET", path)).status, path).toBe(401);
    for (const call of calls) {
      expect((await admin("GET", call)).status, call).toBe(401);
      expect((await admin("GET", `${call}?token=${encodeURIComponent(token)}`)).status, call).toBe(200);
    }
    expect((await admin("GET", `files/${fileId}`)).status).toBe(401);
    expect((await admin("GET", `files/${fileId}?token=${encodeURIComponent(token)}`)).status).toBe(200);
  });
});

describe("no way around the token", () => {
  it("path tricks land on a provider's 404 or on the admin API's 401", async () => {
    const { rawRequest } = await import("../../scripts/lib/fuzz-run.ts");
    const base = new URL(server.url);
    for (const path of [
      "/__admin/../__admin/journal",
      "/__admin%2fjournal",
      "/__admin/./journal",
      "/__admin//journal",
      "/freepik/../__admin/journal",
      "/freepik/..%2f__admin%2fjournal",
      "/~x/../__admin/journal",
      "/__ADMIN/journal",
      "//__admin/journal",
    ]) {
      const answer = await rawRequest(undefined, "GET", base, path, {}, new Uint8Array());
      expect([401, 404], `${path} → ${answer.status}`).toContain(answer.status);
      const text = answer.body.kind === "text" ? answer.body.value : "";
      expect(text, path).not.toMatch(/"entries"/);
    }
  });

  it("fal's proxy header cannot target the admin API", async () => {
    const response = await fetch(`${server.url}/fal/proxy`, {
      headers: { "x-fal-target-url": `${server.url}/__admin/journal`, authorization: "Key k" },
    });
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/"entries"/);
  });
});
