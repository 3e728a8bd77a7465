/**
 * The shape of one provider's facts: what its real API documents about where it lives and how it
 * is called. Each provider has exactly one such object (`src/providers/<p>/facts.ts`); the
 * client, the simulators, the browser host table, journal redaction and the URL policy all read
 * it, and docs/providers.md gives each fact's public source. No logic, no node modules: the
 * browser bundle reads it too.
 */
import type { ProviderId } from "./types.ts";

export interface ProviderFacts {
  id: ProviderId;
  /** The provider's own reference page for the upscale call (docs/providers.md lists the rest). */
  docs: string;
  /** Host key → real origin: every host the provider answers on (API, storage, CDN). */
  hosts: Readonly<Record<string, string>>;
  /** The host keys that receive credentials; the others (CDNs, asset hosts) never do. */
  apiHosts: readonly string[];
  /** The hosts the client reaches by default (API hosts plus any it downloads from by name). */
  clientHosts: readonly string[];
  /** Host patterns results and uploads may come from; `*.x` also allows x's subdomains. */
  resultHosts: readonly string[];
  /** The environment variable that holds the key. */
  envKey: string;
  /** Request headers that carry the key (lower case), the documented one first. */
  credentialHeaders: readonly string[];
}

/** Origins of a facts object's hosts, by the keys given. */
export function originsOf(facts: ProviderFacts, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.flatMap((key) => (facts.hosts[key] ? [[key, facts.hosts[key]]] : [])));
}
