/**
 * Hostile requests against the standalone server over HTTP: malformed multipart, invalid base64,
 * deeply nested and huge JSON, path traversal on every file route, header injection, image URLs
 * that point anywhere but the simulator's own files, and a flood of namespaces. Each gets the
 * provider's own 4xx (checked against its spec where the route has one) or a closed connection,
 * never a crash or a hang, and the server keeps answering.
 */
import { createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimResponse } from "../../mocks/engine/sim-http.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { rawRequest } from "../../scripts/lib/fuzz-run.ts";
import { makeImage } from "../../scripts/lib/images.ts";
import { multipart } from "../../scripts/lib/multipart.ts";
import { SpecConformance } from "../../scripts/lib/spec-conformance.ts";
import type { ProviderId } from "../../src/providers/ids.ts";
import { rawExchange } from "./hostile-client.ts";

let server: MockServer;
let port: number;
const logLines: string[] = [];
const spec = new SpecConformance();
let png: Uint8Array;

/** A loopback port of our own that must never see a connection from the simulator. */
let bystander: TcpServer;
let bystanderPort: number;
let bystanderConnections = 0;

beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none", log: (line) => logLines.push(line) });
  port = Number(new URL(server.url).port);
  png = await makeImage(24, 16, "png");
  bystander = createTcpServer((socket) => {
    bystanderConnections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => bystander.listen(0, "127.0.0.1", resolve));
  bystanderPort = (bystander.address() as { port: number }).port;
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => bystander?.close(resolve));
});

/** A request with a raw (never normalised) path; the answer as the spec checker takes it. */
function send(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string | Uint8Array,
  to: MockServer = server,
) {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : (body ?? new Uint8Array());
  return rawRequest(undefined, method, new URL(to.url), path, headers, bytes, 10_000);
}

const text = (answer: SimResponse) =>
  answer.body.kind === "text"
    ? answer.body.value
    : answer.body.kind === "json"
      ? JSON.stringify(answer.body.value)
      : "";

function conforms(provider: ProviderId, operation: string, answer: SimResponse) {
  expect(spec.check(provider, operation, answer), text(answer)).toEqual([]);
}

const ideogramHeaders = { "api-key": "k" };
const chainhubHeaders = { authorization: "Bearer k", accept: "application/json" };
const oneminHeaders = { "api-key": "k" };
const falHeaders = { authorization: "Key k", "content-type": "application/json" };
const freepikHeaders = { "x-freepik-api-key": "k", "content-type": "application/json" };

describe("malformed multipart", () => {
  const routes = [
    {
      provider: "ideogram" as const,
      operation: "upscaleImage",
      path: "/ideogram/upscale",
      headers: ideogramHeaders,
      file: "image_file",
    },
    {
      provider: "chainhub" as const,
      operation: "submitUpscale",
      path: "/chainhub/ideogram/upscale",
      headers: chainhubHeaders,
      file: "image_file",
    },
    {
      provider: "onemin" as const,
      operation: "uploadAsset",
      path: "/onemin/api/assets",
      headers: oneminHeaders,
      file: "asset",
    },
  ];
  const settings = { name: "image_request", value: "{}" };
  const file = (name: string) => ({ name, value: png, filename: "in.png", type: "image/png" });

  for (const route of routes) {
    // Built when the test runs (the image is made in beforeAll).
    const parts = () => (route.provider === "onemin" ? [file(route.file)] : [settings, file(route.file)]);
    const cases: Array<[string, () => { body: Uint8Array; contentType: string }]> = [
      [
        "no boundary parameter",
        () => ({ body: multipart(parts()).body, contentType: "multipart/form-data" }),
      ],
      [
        "a boundary that is not the body's",
        () => ({ body: multipart(parts()).body, contentType: "multipart/form-data; boundary=other" }),
      ],
      ["the file part missing", () => multipart(parts().filter((p) => p.name !== route.file))],
      ["the file part twice", () => multipart([...parts(), file(route.file)])],
      [
        "the body cut off inside the file",
        () => {
          const whole = multipart(parts());
          return {
            body: whole.body.subarray(0, whole.body.length - png.length / 2),
            contentType: whole.contentType,
          };
        },
      ],
      [
        "parts without Content-Disposition",
        () => ({
          body: new TextEncoder().encode("--b\r\nX-Nothing: 1\r\n\r\nabc\r\n--b--\r\n"),
          contentType: "multipart/form-data; boundary=b",
        }),
      ],
      ["an empty body", () => ({ body: new Uint8Array(), contentType: "multipart/form-data; boundary=b" })],
    ];
    if (route.provider !== "onemin") {
      cases.push(
        ["image_request missing", () => multipart([file(route.file)])],
        ["image_request twice", () => multipart([settings, settings, file(route.file)])],
        [
          "image_request not JSON",
          () => multipart([{ name: "image_request", value: "{nope" }, file(route.file)]),
        ],
        [
          "image_file sent as a text field",
          () => multipart([settings, { name: "image_file", value: "iVBORw0KGgo=" }]),
        ],
      );
    }
    for (const [name, build] of cases) {
      it(`${route.provider}: ${name} → 400`, async () => {
        const form = build();
        const answer = await send(
          "POST",
          route.path,
          { ...route.headers, "content-type": form.contentType },
          form.body,
        );
        expect(answer.status, text(answer)).toBe(400);
        conforms(route.provider, route.operation, answer);
      });
    }
  }

  it("the well-formed request still works (the cases above are refused for their flaw)", async () => {
    const form = multipart([settings, file("image_file")]);
    const answer = await send(
      "POST",
      "/ideogram/upscale",
      { ...ideogramHeaders, "content-type": form.contentType },
      form.body,
    );
    expect(answer.status).toBe(200);
  });
});

describe("invalid base64", () => {
  for (const image of ["%%%%", "a", "iVBORw0K!!", "data:image/png;base64,iVBORw0KGgo="]) {
    it(`freepik image ${JSON.stringify(image)} → 400 invalid_params`, async () => {
      const answer = await send(
        "POST",
        "/freepik/v1/ai/image-upscaler",
        freepikHeaders,
        JSON.stringify({ image }),
      );
      expect(answer.status).toBe(400);
      conforms("freepik", "createUpscale", answer);
      expect(JSON.parse(text(answer)).invalid_params[0].name).toBe("image");
    });
  }
  it("fal data URI with broken base64 → 422 file_download_error", async () => {
    const answer = await send(
      "POST",
      "/fal/run/fal-ai/ideogram/upscale",
      falHeaders,
      JSON.stringify({ image_url: "data:image/png;base64,@@@@" }),
    );
    expect(answer.status).toBe(422);
    conforms("fal", "runUpscale", answer);
    expect(JSON.parse(text(answer)).detail[0].type).toBe("file_download_error");
  });
});

describe("deeply nested and huge JSON", () => {
  const depth = 100_000;
  const deep = `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const targets: Array<[ProviderId, string, string, Record<string, string>, string]> = [
    ["fal", "runUpscale", "/fal/run/fal-ai/ideogram/upscale", falHeaders, `{"image_url": ${deep}}`],
    ["fal", "runUpscale", "/fal/run/fal-ai/ideogram/upscale", falHeaders, deep],
    [
      "fal",
      "submitUpscale",
      "/fal/queue/fal-ai/ideogram/upscale",
      falHeaders,
      `{"image_url": "x", "prompt": ${deep}}`,
    ],
    [
      "fal",
      "initiateUpload",
      "/fal/rest/storage/upload/initiate",
      falHeaders,
      `{"content_type": ${deep}, "file_name": "a"}`,
    ],
    ["freepik", "createUpscale", "/freepik/v1/ai/image-upscaler", freepikHeaders, `{"image": ${deep}}`],
    [
      "onemin",
      "runFeature",
      "/onemin/api/features",
      { "api-key": "k", "content-type": "application/json" },
      `{"type":"IMAGE_UPSCALER","model":"ideogram-3","promptObject":{"imageUrl":${deep},"num_images":1}}`,
    ],
  ];
  for (const [provider, operation, path, headers, body] of targets) {
    it(`${provider} ${operation}: ${depth} nested arrays → the provider's 4xx, no 500`, async () => {
      const started = performance.now();
      const answer = await send("POST", path, headers, body);
      expect(answer.status, text(answer).slice(0, 200)).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      conforms(provider, operation, answer);
      expect(performance.now() - started).toBeLessThan(3_000);
    });
  }
  it(`ideogram: ${depth} nested arrays in the image_request part → 400`, async () => {
    const form = multipart([
      { name: "image_request", value: deep },
      { name: "image_file", value: png, filename: "in.png", type: "image/png" },
    ]);
    const answer = await send(
      "POST",
      "/ideogram/upscale",
      { ...ideogramHeaders, "content-type": form.contentType },
      form.body,
    );
    expect(answer.status).toBe(400);
    conforms("ideogram", "upscaleImage", answer);
  });
  // How fast this is judged is a speed goal and belongs in a benchmark; here it must be judged.
  it("a 30 MB JSON body (under the limit) is parsed and judged", async () => {
    const answer = await send(
      "POST",
      "/freepik/v1/ai/image-upscaler",
      freepikHeaders,
      JSON.stringify({ prompt: "x".repeat(30 * 1024 * 1024) }),
    );
    expect(answer.status).toBe(400);
    conforms("freepik", "createUpscale", answer);
  });
  it("fal echoes a hostile input back only when it is small", async () => {
    const answer = await send(
      "POST",
      "/fal/run/fal-ai/ideogram/upscale",
      falHeaders,
      `{"image_url": ${deep}}`,
    );
    expect(text(answer).length).toBeLessThan(2_000);
  });
});

describe("path traversal on file routes", () => {
  const traversals = [
    "../../../../etc/passwd",
    "..%2f..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%252e%252e%252f%252e%252e%252fetc%252fpasswd",
    "..%5c..%5c..%5cetc%5cpasswd",
    "....//....//etc/passwd",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
  ];
  const routes: Array<[string, (t: string) => string, number[]]> = [
    ["freepik CDN", (t) => `/freepik/cdn/content/mg-upscaler/${t}`, [404]],
    [
      "ideogram ephemeral links",
      (t) => `/ideogram/cdn/api/images/ephemeral/${t}?exp=9999999999&sig=${"0".repeat(64)}`,
      [403, 404],
    ],
    ["chainhub CDN", (t) => `/chainhub/cdn/files/ideogram/${t}`, [404]],
    ["fal media", (t) => `/fal/media/files/monkey/${t}`, [404]],
    ["1min.ai assets", (t) => `/onemin/asset/images/${t}`, [404]],
    ["the admin file route", (t) => `/__admin/files/${t}`, [404]],
  ];
  for (const [name, path, statuses] of routes) {
    it(`${name}: every traversal form is refused and no file is read`, async () => {
      for (const traversal of traversals) {
        const answer = await send("GET", path(traversal));
        expect(statuses, `${path(traversal)} → ${answer.status}`).toContain(answer.status);
        expect(text(answer)).not.toMatch(/root:.*:0:0|daemon:/);
        expect(answer.body.kind).not.toBe("bytes");
      }
    });
  }
  it("fal storage PUT with a traversal in the file name is refused (403) and stores nothing", async () => {
    const before = server.simulator.services.files.size;
    for (const traversal of traversals) {
      const answer = await send(
        "PUT",
        `/fal/media/files/upload/monkey/${traversal}?expires=9999999999&signature=x`,
        { "content-type": "image/png" },
        png,
      );
      expect([403, 404]).toContain(answer.status);
    }
    expect(server.simulator.services.files.size).toBe(before);
  });
  it("fal storage sanitises the file name it is given", async () => {
    const initiate = await send(
      "POST",
      "/fal/rest/storage/upload/initiate",
      falHeaders,
      JSON.stringify({ content_type: "image/png", file_name: "../../etc/passwd" }),
    );
    expect(initiate.status).toBe(200);
    const { file_url, upload_url } = JSON.parse(text(initiate)) as { file_url: string; upload_url: string };
    expect(new URL(file_url).pathname).not.toContain("..");
    expect(new URL(upload_url).pathname).not.toContain("..");
  });
  it("a file of one namespace is not reachable from another", async () => {
    const form = multipart([{ name: "asset", value: png, filename: "mine.png", type: "image/png" }]);
    const uploaded = await send(
      "POST",
      "/~alice/onemin/api/assets",
      { ...oneminHeaders, "content-type": form.contentType },
      form.body,
    );
    const key = (JSON.parse(text(uploaded)) as { fileContent: { path: string } }).fileContent.path;
    expect((await send("GET", `/~alice/onemin/asset/${key}`)).status).toBe(200);
    expect((await send("GET", `/~mallory/onemin/asset/${key}`)).status).toBe(404);
    expect(
      (await send("GET", `/~mallory/onemin/asset/..%2f~alice%2fonemin%2fasset%2f${encodeURIComponent(key)}`))
        .status,
    ).toBe(404);
  });
});

describe("header injection", () => {
  it("CR or LF inside a header value: node refuses the request (400) and closes; the server goes on", async () => {
    for (const value of ["a\nx-injected: 1", "a\rx-injected: 1", "a\u0000x-injected: 1"]) {
      const answer = await rawExchange(
        port,
        `GET /freepik/v1/ai/image-upscaler HTTP/1.1\r\nHost: 127.0.0.1\r\nx-freepik-api-key: k\r\nx-mock-scenario: ${value}\r\n\r\n`,
      );
      expect([0, 400]).toContain(answer.status);
      expect(answer.body).not.toMatch(/x-injected/);
    }
    expect((await send("GET", "/__admin/health")).status).toBe(200);
  });

  it("CR/LF smuggled in the path namespace is never echoed into a header or a log line", async () => {
    logLines.length = 0;
    const answer = await send(
      "POST",
      "/~a%0d%0aSet-Cookie:%20evil=1/freepik/v1/ai/image-upscaler",
      freepikHeaders,
      JSON.stringify({ image: Buffer.from(png).toString("base64"), webhook_url: "https://hooks.invalid/x" }),
    );
    expect(answer.status).toBe(200);
    expect(answer.headers["set-cookie"]).toBeUndefined();
    expect(Object.keys(answer.headers).some((name) => /evil/i.test(name))).toBe(false);
    const taskId = JSON.parse(text(answer)).data.task_id as string;
    const status = await send(
      "GET",
      `/~a%0d%0aSet-Cookie:%20evil=1/freepik/v1/ai/image-upscaler/${taskId}`,
      freepikHeaders,
    );
    expect(status.status).toBe(200);
    expect(logLines.length).toBeGreaterThan(0);
    for (const line of logLines) {
      expect(line).not.toMatch(/[\r\n]/);
      expect(JSON.parse(line).namespace).toBe("a\r\nSet-Cookie: evil=1");
    }
  });

  it("an unknown scenario name is echoed only inside the JSON body", async () => {
    const answer = await send("GET", "/freepik/v1/ai/image-upscaler", {
      ...freepikHeaders,
      "x-mock-scenario": "<script>alert(1)</script>",
    });
    expect(answer.status).toBe(400);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(Object.values(answer.headers).join("\n")).not.toContain("<script>");
  });

  it("an upload's declared content type is not echoed back: HTML or SVG is served as bytes", async () => {
    for (const [type, body] of [
      ["text/html", "<script>fetch('/__admin/journal')</script>"],
      ["image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"],
    ] as const) {
      const initiate = await send(
        "POST",
        "/fal/rest/storage/upload/initiate",
        falHeaders,
        JSON.stringify({ content_type: type, file_name: "page.html" }),
      );
      const { upload_url, file_url } = JSON.parse(text(initiate)) as { upload_url: string; file_url: string };
      const put = await rawRequest(
        undefined,
        "PUT",
        upload_url,
        undefined,
        { "content-type": type },
        new TextEncoder().encode(body),
      );
      expect(put.status).toBe(200);
      const served = await rawRequest(undefined, "GET", file_url, undefined, {}, new Uint8Array());
      expect(served.status).toBe(200);
      expect(served.headers["content-type"]).toBe("application/octet-stream");
    }
  });
});

describe("image URLs that point anywhere but the simulator's own files", () => {
  /** A server that refuses remote images (the default stands an image in for them). */
  let refusing: MockServer;
  beforeAll(async () => {
    refusing = await startMockServer({ port: 0, latency: "none", remoteImages: "refuse" });
  });
  afterAll(() => refusing?.close());

  /** http(s) URLs it does not serve: remote inputs, which it never downloads by default. */
  const remote = (on: MockServer) => [
    `http://127.0.0.1:${bystanderPort}/x.png`,
    `http://localhost:${bystanderPort}/x.png`,
    `${on.url}/__admin/health`,
  ];
  /** Other schemes, hosts that never resolve, its own routes that serve no file: refused in every mode. */
  const neverImages = (on: MockServer) => [
    "file:///etc/passwd",
    "https://host.invalid/x.png",
    "ftp://host.invalid/x.png",
    "gopher://host.invalid:70/_x",
    `${on.url}/freepik/v1/ai/image-upscaler`,
  ];
  const elsewhere = (on: MockServer = refusing) => [...remote(on), ...neverImages(on)];
  const oneminBody = (url: string) =>
    JSON.stringify({
      type: "IMAGE_UPSCALER",
      model: "ideogram-3",
      promptObject: { imageUrl: url, num_images: 1 },
    });
  const oneminJson = { "api-key": "k", "content-type": "application/json" };

  it("by default a stand-in image takes a remote URL's place, without a connection", async () => {
    const falRun = (url: string) =>
      send("POST", "/fal/run/fal-ai/ideogram/upscale", falHeaders, JSON.stringify({ image_url: url }));
    for (const url of remote(server)) {
      const fal = await falRun(url);
      expect(fal.status, url).toBe(200);
      conforms("fal", "runUpscale", fal);
      expect(fal.headers["x-mock-input"], url).toBe(`stand-in; url=${url}`);
      const path = "/freepik/v1/ai/image-upscaler-precision-v2";
      const freepik = await send("POST", path, freepikHeaders, JSON.stringify({ image: url }));
      expect(freepik.status, url).toBe(200);
      conforms("freepik", "createPrecisionV2Upscale", freepik);
      const onemin = await send("POST", "/onemin/api/features", oneminJson, oneminBody(url));
      expect(onemin.status, url).toBe(200);
      conforms("onemin", "runFeature", onemin);
    }
    for (const url of neverImages(server)) {
      const fal = await falRun(url);
      expect(fal.status, url).toBe(422);
      // Only an http(s) URL is a remote input at all; one under .invalid is refused as such.
      const refused = url.startsWith("https://host.invalid/") ? `refused; url=${url}` : undefined;
      expect(fal.headers["x-mock-input"], url).toBe(refused);
    }
  });

  it("refusing remote images, fal.run: 422 file_download_error, nothing fetched", async () => {
    for (const url of elsewhere()) {
      const answer = await send(
        "POST",
        "/fal/run/fal-ai/ideogram/upscale",
        falHeaders,
        JSON.stringify({ image_url: url }),
        refusing,
      );
      expect(answer.status, url).toBe(422);
      conforms("fal", "runUpscale", answer);
      expect(JSON.parse(text(answer)).detail[0].type, url).toBe("file_download_error");
    }
  });

  it("refusing remote images, a fal queue run ends with file_download_error", async () => {
    const answer = await send(
      "POST",
      "/fal/queue/fal-ai/ideogram/upscale",
      falHeaders,
      JSON.stringify({ image_url: `http://127.0.0.1:${bystanderPort}/x.png` }),
      refusing,
    );
    expect(answer.status).toBe(200);
    const { status_url, response_url } = JSON.parse(text(answer)) as {
      status_url: string;
      response_url: string;
    };
    for (let i = 0; i < 4; i++)
      await rawRequest(undefined, "GET", status_url, undefined, falHeaders, new Uint8Array());
    const result = await rawRequest(undefined, "GET", response_url, undefined, falHeaders, new Uint8Array());
    expect(result.status).toBe(422);
    expect(JSON.parse(text(result)).detail[0].type).toBe("file_download_error");
  });

  it("refusing remote images, freepik precision v2 (takes URLs): 400", async () => {
    for (const url of elsewhere()) {
      const answer = await send(
        "POST",
        "/freepik/v1/ai/image-upscaler-precision-v2",
        freepikHeaders,
        JSON.stringify({ image: url }),
        refusing,
      );
      expect(answer.status, url).toBe(400);
      conforms("freepik", "createPrecisionV2Upscale", answer);
    }
  });

  it("freepik creative (base64 only): a URL is refused with 400 invalid_params", async () => {
    const answer = await send(
      "POST",
      "/freepik/v1/ai/image-upscaler",
      freepikHeaders,
      JSON.stringify({ image: `http://127.0.0.1:${bystanderPort}/x.png` }),
    );
    expect(answer.status).toBe(400);
    expect(JSON.parse(text(answer)).invalid_params[0].name).toBe("image");
  });

  it("refusing remote images, 1min.ai imageUrl: 400", async () => {
    for (const url of [...elsewhere(), "../../etc/passwd", "/etc/passwd"]) {
      const answer = await send("POST", "/onemin/api/features", oneminJson, oneminBody(url), refusing);
      expect(answer.status, url).toBe(400);
      conforms("onemin", "runFeature", answer);
    }
  });

  it("fal's proxy header naming another target: 404, nothing forwarded", async () => {
    for (const target of [
      `http://127.0.0.1:${bystanderPort}/fal-ai/ideogram/upscale`,
      "https://host.invalid/fal-ai/ideogram/upscale",
      "file:///etc/passwd",
    ]) {
      const answer = await send(
        "POST",
        "/fal/proxy",
        { ...falHeaders, "x-fal-target-url": target },
        JSON.stringify({ image_url: "x" }),
      );
      expect(answer.status, target).toBe(404);
    }
  });

  it("webhook URLs outside loopback are recorded as refused, never contacted", async () => {
    const answer = await send(
      "POST",
      "/~hooks/fal/queue/fal-ai/ideogram/upscale?fal_webhook=https%3A%2F%2Fhooks.invalid%2Fx",
      falHeaders,
      JSON.stringify({ image_url: `data:image/png;base64,${Buffer.from(png).toString("base64")}` }),
    );
    const { status_url } = JSON.parse(text(answer)) as { status_url: string };
    for (let i = 0; i < 4; i++)
      await rawRequest(undefined, "GET", status_url, undefined, falHeaders, new Uint8Array());
    await new Promise((resolve) => setTimeout(resolve, 50));
    const deliveries = server.simulator.namespace("hooks").webhooks.list();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ state: "refused", attempts: [] });
  });

  it("the bystander port never saw a connection", () => {
    expect(bystanderConnections).toBe(0);
  });
});

describe("a flood of namespaces stays bounded", () => {
  it("600 new namespaces: the oldest idle ones are forgotten, the recent and default ones kept", async () => {
    await send("GET", "/freepik/v1/ai/image-upscaler", freepikHeaders);
    for (let i = 0; i < 600; i++)
      await send("GET", "/freepik/v1/ai/image-upscaler", {
        ...freepikHeaders,
        "x-mock-namespace": `flood-${i}`,
      });
    const names = server.simulator.namespaces();
    expect(names.length).toBeLessThanOrEqual(500);
    expect(names).toContain("default");
    expect(names).toContain("flood-599");
    expect(names).not.toContain("flood-0");
    expect((await send("GET", "/__admin/health")).status).toBe(200);
  });
});
