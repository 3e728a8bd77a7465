import { describe, expect, it } from "vitest";
import type { ProviderId } from "../../mocks/engine/faults.ts";
import type { ProviderDefinition } from "../../mocks/engine/provider.ts";
import { empty } from "../../mocks/engine/sim-http.ts";
import { providerDefinitions } from "../../mocks/providers/index.ts";
import { AddressMap, primaryHost } from "../../mocks/server/address-map.ts";

const base = "http://127.0.0.1:4010";

/** fal's hosts, for as long as its definition is not registered yet. */
const falStub: ProviderDefinition = {
  id: "fal",
  hosts: {
    run: "https://fal.run",
    queue: "https://queue.fal.run",
    rest: "https://rest.fal.ai",
    media: "https://v3.fal.media",
  },
  routes: [],
  authenticate: () => undefined,
  faultResponse: () => empty(500),
  notFound: () => empty(404),
};

const definitions = new Map<ProviderId, ProviderDefinition>(
  Object.values(providerDefinitions).map((d) => [d!.id, d!]),
);
if (!definitions.has("fal")) definitions.set("fal", falStub);

/** Every route of every provider, with its params filled in, plus each host's root. */
const samples: Array<{ provider: ProviderId; host: string; path: string }> = [];
for (const [provider, definition] of definitions) {
  for (const host of Object.keys(definition.hosts)) samples.push({ provider, host, path: "/" });
  for (const route of definition.routes)
    samples.push({ provider, host: route.host, path: route.path.replace(/:(\w+)/g, "val-$1.png") });
}

const pathOf = (url: string) => url.slice(base.length);

describe("AddressMap on the shared port", () => {
  const map = new AddressMap(definitions);

  it("knows all five providers", () => {
    expect([...definitions.keys()].sort()).toEqual(["chainhub", "fal", "freepik", "ideogram", "onemin"]);
    expect(samples.length).toBeGreaterThan(20);
  });

  it("round-trips every real route of every provider host", () => {
    for (const sample of samples) {
      const url = map.url(base, sample.provider, sample.host, sample.path);
      expect(map.locate(pathOf(url)), url).toEqual(sample);
    }
  });

  it("round-trips with a namespace prefix, which the URL keeps", () => {
    for (const namespace of ["ci-run-7", "team a/b", "ünï"]) {
      for (const sample of samples) {
        const url = map.url(base, sample.provider, sample.host, sample.path, namespace);
        expect(url.startsWith(`${base}/~${encodeURIComponent(namespace)}/`)).toBe(true);
        expect(map.locate(pathOf(url)), url).toEqual({ ...sample, namespace });
      }
    }
  });

  it("puts main hosts under /<provider> and the others under /<provider>/<host>; fal's are all named", () => {
    expect(map.url(base, "freepik", "api", "/v1/ai/image-upscaler")).toBe(
      `${base}/freepik/v1/ai/image-upscaler`,
    );
    expect(map.url(base, "freepik", "magnific", "/v1/x")).toBe(`${base}/freepik/magnific/v1/x`);
    expect(map.url(base, "onemin", "api", "/api/assets")).toBe(`${base}/onemin/api/assets`);
    expect(map.url(base, "ideogram", "cdn", "/api/images/ephemeral/a.png")).toBe(
      `${base}/ideogram/cdn/api/images/ephemeral/a.png`,
    );
    expect(map.url(base, "fal", "queue", "/fal-ai/ideogram/upscale")).toBe(
      `${base}/fal/queue/fal-ai/ideogram/upscale`,
    );
    expect(map.url(base, "fal", "run", "/fal-ai/ideogram/upscale", "ns")).toBe(
      `${base}/~ns/fal/run/fal-ai/ideogram/upscale`,
    );
  });

  it("a main-host path that starts with the main host's own name stays on the main host", () => {
    expect(map.locate("/onemin/api/features")).toEqual({
      provider: "onemin",
      host: "api",
      path: "/api/features",
    });
    expect(map.locate("/freepik/api/v1")).toEqual({ provider: "freepik", host: "api", path: "/api/v1" });
  });

  it("answers undefined for paths no provider serves", () => {
    for (const path of [
      "/",
      "",
      "/nope",
      "/nope/v1/x",
      "/fal",
      "/fal/",
      "/fal/v1/x",
      "/fal/nohost/x",
      "/~ns",
      "/~ns/",
    ])
      expect(map.locate(path), path).toBeUndefined();
  });

  it("answers undefined (never throws) for a namespace with broken percent-encoding", () => {
    expect(() => map.locate("/~%E0%A4%A/freepik/v1/ai/image-upscaler")).not.toThrow();
    expect(map.locate("/~%E0%A4%A/freepik/v1/ai/image-upscaler")).toBeUndefined();
  });

  it("lists the base URL of every host", () => {
    const urls = map.baseUrls(base);
    expect(urls["freepik.api"]).toBe(`${base}/freepik`);
    expect(urls["freepik.cdn"]).toBe(`${base}/freepik/cdn`);
    expect(urls["fal.media"]).toBe(`${base}/fal/media`);
    expect(Object.keys(urls).length).toBe(
      [...definitions.values()].reduce((n, d) => n + Object.keys(d.hosts).length, 0),
    );
  });
});

describe("AddressMap on a provider's own port", () => {
  it("serves the main host at the root and the others under /<host>", () => {
    const map = new AddressMap(definitions, { provider: "freepik" });
    expect(map.url(base, "freepik", "api", "/v1/ai/image-upscaler")).toBe(`${base}/v1/ai/image-upscaler`);
    expect(map.url(base, "freepik", "cdn", "/content/x.png")).toBe(`${base}/cdn/content/x.png`);
    expect(map.locate("/v1/ai/image-upscaler/t1")).toEqual({
      provider: "freepik",
      host: "api",
      path: "/v1/ai/image-upscaler/t1",
    });
    expect(map.locate("/magnific")).toEqual({ provider: "freepik", host: "magnific", path: "/" });
    expect(map.locate("/~ns/cdn/content/x.png")).toEqual({
      provider: "freepik",
      host: "cdn",
      path: "/content/x.png",
      namespace: "ns",
    });
    // Everything unknown belongs to the main host (its notFound answers).
    expect(map.locate("/anything/else")).toEqual({
      provider: "freepik",
      host: "api",
      path: "/anything/else",
    });
    expect(map.locate("/")).toEqual({ provider: "freepik", host: "api", path: "/" });
    expect(Object.keys(map.baseUrls(base))).toEqual(["freepik.api", "freepik.magnific", "freepik.cdn"]);
    expect(map.baseUrls(base)["freepik.api"]).toBe(base);
  });

  it("round-trips every route of the provider, whichever host sits at the root", () => {
    for (const [provider, definition] of definitions) {
      for (const root of [undefined, ...Object.keys(definition.hosts)]) {
        const map = new AddressMap(definitions, { provider, ...(root ? { host: root } : {}) });
        for (const sample of samples.filter((s) => s.provider === provider)) {
          for (const namespace of [undefined, "ns-1"]) {
            const url = map.url(base, provider, sample.host, sample.path, namespace);
            expect(map.locate(pathOf(url)), `${provider}.${root ?? "(main)"}: ${url}`).toEqual(
              namespace ? { ...sample, namespace } : sample,
            );
          }
        }
      }
    }
  });

  it("uses the main host (api) by default; refuses a provider that is not enabled", () => {
    expect(primaryHost(definitions.get("freepik")!)).toBe("api");
    expect(primaryHost(definitions.get("onemin")!)).toBe("api");
    expect(() => new AddressMap(new Map(), { provider: "freepik" })).toThrow(
      'Failed to map a port: provider "freepik" is not enabled.',
    );
  });
});
