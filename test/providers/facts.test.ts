/**
 * One facts object per provider is the single definition of its hosts, credentials and limits:
 * the client's module, the simulator's definition and the browser host table must read that very
 * object, and the journal must treat every credential header it names as a secret.
 */
import { describe, expect, it } from "vitest";
import { Journal } from "../../mocks/engine/journal.ts";
import { providerHosts } from "../../mocks/provider-hosts.ts";
import { providerDefinitions } from "../../mocks/providers/index.ts";
import { originsOf } from "../../src/core/facts.ts";
import { chainhubFacts } from "../../src/providers/chainhub/facts.ts";
import { falFacts } from "../../src/providers/fal/facts.ts";
import { freepikFacts } from "../../src/providers/freepik/facts.ts";
import { ideogramFacts } from "../../src/providers/ideogram/facts.ts";
import { providerIds } from "../../src/providers/ids.ts";
import { providerModules } from "../../src/providers/index.ts";
import { oneminFacts } from "../../src/providers/onemin/facts.ts";

const facts = {
  ideogram: ideogramFacts,
  chainhub: chainhubFacts,
  fal: falFacts,
  onemin: oneminFacts,
  freepik: freepikFacts,
};

describe.each(providerIds)("%s facts", (id) => {
  const f = facts[id];

  it("are what the simulator definition and the browser host table use", () => {
    expect(f.id).toBe(id);
    expect(providerDefinitions[id]?.hosts).toBe(f.hosts);
    expect(providerHosts[id]).toBe(f.hosts);
    expect(providerDefinitions[id]?.credentialHeaders).toBe(f.credentialHeaders);
  });

  it("are what the client module uses", () => {
    const module = providerModules[id];
    expect(module.envKey).toBe(f.envKey);
    expect(module.defaultBases).toEqual(originsOf(f, f.clientHosts));
    expect(module.apiHosts).toEqual(f.apiHosts);
    expect(module.resultHosts).toBe(f.resultHosts);
    // The client sends the key in the header the facts name.
    const sent = Object.keys(module.authHeaders("k")).map((name) => name.toLowerCase());
    expect(f.credentialHeaders).toContain(sent[0]);
  });

  it("name hosts that are https origins, and credential headers the journal hides", () => {
    for (const origin of Object.values(f.hosts)) expect(new URL(origin).origin).toBe(origin);
    const journal = new Journal(10, 10, f.credentialHeaders);
    journal.record({
      time: 0,
      provider: id,
      operation: "upscale",
      method: "POST",
      path: "/",
      requestBytes: 0,
      status: 200,
      durationMs: 0,
      faults: [],
      headers: Object.fromEntries(f.credentialHeaders.map((name) => [name, "secret-key-123"])),
    });
    const [entry] = journal.list();
    for (const name of f.credentialHeaders) expect(entry?.headers[name]).toMatch(/^fp:/);
  });
});
