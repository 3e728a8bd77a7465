/**
 * Calls that name their real target in a header, as a provider's own client does when it is
 * given a proxy URL (the provider's definition declares the header: `proxyTargetHeader`). Such a
 * call is routed by its target, which must be one of that provider's real origins or that
 * provider's address on one of this server's listeners; any other target (another provider,
 * the admin API, another host or scheme) is routed nowhere, so the header reaches nothing else.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { ProviderId } from "../engine/faults.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import type { Located } from "./address-map.ts";

/** Where a proxied call goes: `located` is undefined when its target is not one it may reach. */
export interface ProxiedCall {
  located: Located | undefined;
  /** The target's path and query, which replace the request's own. */
  path: string;
  query: string;
}

export class ProxyTargets {
  /** Header name → the provider that declared it. */
  readonly #headers = new Map<string, ProviderId>();
  /** Real origin → the provider and host key it belongs to. */
  readonly #origins = new Map<string, { provider: ProviderId; host: string }>();

  constructor(definitions: ReadonlyMap<ProviderId, ProviderDefinition>) {
    for (const [provider, definition] of definitions) {
      if (definition.proxyTargetHeader)
        this.#headers.set(definition.proxyTargetHeader.toLowerCase(), provider);
      for (const [host, origin] of Object.entries(definition.hosts))
        this.#origins.set(origin, { provider, host });
    }
  }

  /**
   * The call's target when it names one; `undefined` for an ordinary request.
   * `locateOwn` finds a URL on this server's own listeners.
   */
  route(headers: IncomingHttpHeaders, locateOwn: (url: URL) => Located | undefined): ProxiedCall | undefined {
    for (const [header, provider] of this.#headers) {
      const target = headers[header];
      if (typeof target !== "string") continue;
      const parsed = URL.canParse(target) ? new URL(target) : undefined;
      if (!parsed) return { located: undefined, path: target, query: "" };
      const real = this.#origins.get(parsed.origin);
      const located = real ? { ...real, path: parsed.pathname } : locateOwn(parsed);
      return {
        located: located?.provider === provider ? located : undefined,
        path: parsed.pathname,
        query: parsed.search.slice(1),
      };
    }
    return undefined;
  }
}
