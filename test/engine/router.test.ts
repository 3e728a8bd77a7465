import { describe, expect, it } from "vitest";
import type { Route } from "../../mocks/engine/provider.ts";
import { Router } from "../../mocks/engine/router.ts";
import { empty } from "../../mocks/engine/sim-http.ts";

const route = (host: string, method: string, path: string, operation: string): Route => ({
  host,
  method,
  path,
  operation,
  phase: "status",
  handle: () => empty(204),
});

const routes = [
  route("api", "POST", "/v1/ai/image-upscaler", "create"),
  route("api", "GET", "/v1/ai/image-upscaler/:taskId", "get"),
  route("api", "GET", "/v1/ai/image-upscaler/special", "special"),
  route("api", "GET", "/files/:folder/:name", "file"),
  route("api", "GET", "/v1.0/a+b", "literal"),
  route("queue", "GET", "/fal-ai/model/requests/:requestId/status", "status"),
];
const router = new Router(routes);
const op = (host: string, method: string, path: string) => router.match(host, method, path)?.route.operation;

describe("Router", () => {
  it("matches host, method and path, and returns the params", () => {
    expect(router.match("api", "POST", "/v1/ai/image-upscaler")).toEqual({ route: routes[0], params: {} });
    expect(router.match("api", "GET", "/v1/ai/image-upscaler/abc-123")).toEqual({
      route: routes[1],
      params: { taskId: "abc-123" },
    });
    expect(router.match("api", "GET", "/files/images/photo.png")?.params).toEqual({
      folder: "images",
      name: "photo.png",
    });
    expect(router.match("queue", "GET", "/fal-ai/model/requests/r1/status")?.params).toEqual({
      requestId: "r1",
    });
  });

  it("decodes params", () => {
    expect(router.match("api", "GET", "/v1/ai/image-upscaler/a%20b%2Fc%C3%A9")?.params).toEqual({
      taskId: "a b/cé",
    });
  });

  it("accepts one trailing slash", () => {
    expect(op("api", "POST", "/v1/ai/image-upscaler/")).toBe("create");
    expect(router.match("api", "GET", "/v1/ai/image-upscaler/abc/")?.params).toEqual({ taskId: "abc" });
    expect(op("api", "POST", "/v1/ai/image-upscaler//")).toBeUndefined();
  });

  it("needs the right method and host", () => {
    expect(op("api", "GET", "/v1/ai/image-upscaler")).toBeUndefined();
    expect(op("api", "DELETE", "/v1/ai/image-upscaler/abc")).toBeUndefined();
    expect(op("api", "post", "/v1/ai/image-upscaler")).toBeUndefined();
    expect(op("cdn", "POST", "/v1/ai/image-upscaler")).toBeUndefined();
    expect(op("queue", "POST", "/v1/ai/image-upscaler")).toBeUndefined();
  });

  it("matches whole paths only; a param never spans a slash or is empty", () => {
    expect(op("api", "GET", "/v1/ai/image-upscaler/abc/extra")).toBeUndefined();
    expect(op("api", "GET", "/prefix/v1/ai/image-upscaler/abc")).toBeUndefined();
    expect(op("api", "GET", "/v1/ai/image-upscaler/")).toBeUndefined();
    expect(op("api", "GET", "/files/only-one")).toBeUndefined();
  });

  it("treats literal segments literally (no regex meaning)", () => {
    expect(op("api", "GET", "/v1.0/a+b")).toBe("literal");
    expect(op("api", "GET", "/v1x0/a+b")).toBeUndefined();
    expect(op("api", "GET", "/v1.0/aab")).toBeUndefined();
  });

  it("the first route in table order wins", () => {
    expect(op("api", "GET", "/v1/ai/image-upscaler/special")).toBe("get");
  });

  it("answers undefined for malformed percent-encoding instead of throwing", () => {
    expect(() => router.match("api", "GET", "/v1/ai/image-upscaler/%E0%A4%A")).not.toThrow();
    expect(router.match("api", "GET", "/v1/ai/image-upscaler/%E0%A4%A")).toBeUndefined();
    expect(router.match("api", "GET", "/v1/ai/image-upscaler/%")).toBeUndefined();
  });

  it("says whether a host serves a path whatever the method, without matching params", () => {
    expect(router.servesPath("api", "/v1/ai/image-upscaler")).toBe(true);
    expect(router.servesPath("api", "/v1/ai/image-upscaler/abc-123/")).toBe(true);
    expect(router.servesPath("queue", "/fal-ai/model/requests/r1/status")).toBe(true);
    expect(router.servesPath("queue", "/v1/ai/image-upscaler")).toBe(false);
    expect(router.servesPath("api", "/v1/ai")).toBe(false);
    expect(router.servesPath("cdn", "/files/a/b")).toBe(false);
  });

  it("lists its hosts", () => {
    expect(router.hosts()).toEqual(["api", "queue"]);
  });
});
