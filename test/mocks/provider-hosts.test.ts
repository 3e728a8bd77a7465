/**
 * The browser-safe host table (and the server paths msw-browser.ts derives from it) must say
 * exactly what the provider definitions and the server's AddressMap say.
 */
import { describe, expect, it } from "vitest";
import type { ProviderDefinition } from "../../mocks/engine/provider.ts";
import { serverPrefix } from "../../mocks/msw-browser.ts";
import { providerHosts } from "../../mocks/provider-hosts.ts";
import { providerDefinitions } from "../../mocks/providers/index.ts";
import { AddressMap } from "../../mocks/server/address-map.ts";
import type { ProviderId } from "../../src/providers/ids.ts";

const definitions = Object.entries(providerDefinitions) as Array<[ProviderId, ProviderDefinition]>;

describe("provider-hosts", () => {
  it("equals the hosts of every provider definition", () => {
    expect(providerHosts).toEqual(Object.fromEntries(definitions.map(([id, d]) => [id, d.hosts])));
  });

  it("gives msw-browser the same server path per host as the server's AddressMap", () => {
    const map = new AddressMap(new Map(definitions));
    for (const [id, definition] of definitions) {
      for (const host of Object.keys(definition.hosts)) {
        expect(serverPrefix(id, host), `${id}.${host}`).toBe(map.prefix(id, host));
      }
    }
  });
});
