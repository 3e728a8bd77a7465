/**
 * The same documented requests over the standalone server: only each real origin is swapped for
 * the server's prefix for that host (`https://api.freepik.com/…` → `<server>/freepik/…`), as a
 * user pointing the document's commands at `upscale-harness mock` would.
 */
import { afterAll, beforeAll, describe, it } from "vitest";
import { providerHosts } from "../../mocks/provider-hosts.ts";
import { type MockServer, startMockServer } from "../../mocks/server/server.ts";
import { loadDocuments } from "../helpers/documented-examples.ts";
import { expectDocumentedSuccess, replay, type Target } from "../helpers/replay-documented.ts";

let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ port: 0, latency: "none", seed: 7 });
});
afterAll(() => server.close(100));

/** Real origin → the server's base URL for that host. */
function origins(): Map<string, string> {
  const map = new Map<string, string>();
  for (const [provider, hosts] of Object.entries(providerHosts)) {
    for (const [key, origin] of Object.entries(hosts)) map.set(origin, server.urls[`${provider}.${key}`]!);
  }
  return map;
}

const target: Target = {
  swap(url) {
    const { origin } = new URL(url);
    const base = origins().get(origin);
    return base ? base + url.slice(origin.length) : url;
  },
  get falClient() {
    return { proxyUrl: { url: `${server.url}/fal/proxy`, when: "always" as const } };
  },
};

describe.each(loadDocuments())("$id ($source)", (doc) => {
  it.each(doc.requests)("$name", async (example) => {
    expectDocumentedSuccess(doc, example, await replay(doc, example, target));
  });
});
