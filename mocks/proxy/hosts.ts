/**
 * The hosts the proxy answers for, read from the provider definitions the simulator runs (their
 * `hosts`, the same origins the MSW handlers sit on): a host name to (provider, host key), and
 * the real URLs handed back to proxied requests, as under MSW.
 */
import type { ProviderId } from "../engine/faults.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import type { Dispatch } from "../engine/simulator.ts";

export interface SimulatedHost {
  provider: ProviderId;
  /** The definition's host key (`api`, `cdn`, `queue`…). */
  host: string;
  /** The real origin, e.g. `https://api.freepik.com`. */
  origin: string;
}

export class SimulatedHosts {
  readonly #byName = new Map<string, SimulatedHost>();
  readonly #byOrigin = new Map<string, SimulatedHost>();
  readonly #origins = new Map<ProviderId, Readonly<Record<string, string>>>();

  constructor(definitions: ReadonlyMap<ProviderId, ProviderDefinition>) {
    for (const [provider, definition] of definitions) {
      this.#origins.set(provider, definition.hosts);
      for (const [host, origin] of Object.entries(definition.hosts)) {
        const entry = { provider, host, origin };
        this.#byName.set(new URL(origin).hostname, entry);
        this.#byOrigin.set(origin, entry);
      }
    }
  }

  /** The simulated host with this name (lower case, no port), if any. */
  lookup(hostname: string): SimulatedHost | undefined {
    return this.#byName.get(hostname);
  }

  /** Every simulated host name, sorted. */
  names(): string[] {
    return [...this.#byName.keys()].sort();
  }

  /** URLs handed back to a proxied request: the provider's real origins. */
  urlFor(provider: ProviderId): Dispatch["url"] {
    const origins = this.#origins.get(provider)!;
    return (host, path) => `${origins[host]}${path}`;
  }

  /** A real-host URL back to (provider, host, path); else what `fallback` says (the server's own URLs). */
  resolver(fallback: Dispatch["resolveOwn"]): Dispatch["resolveOwn"] {
    return (url) => {
      if (!URL.canParse(url)) return undefined;
      const parsed = new URL(url);
      const found = this.#byOrigin.get(parsed.origin);
      return found ? { provider: found.provider, host: found.host, path: parsed.pathname } : fallback(url);
    };
  }
}
