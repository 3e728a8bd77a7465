/**
 * Where each provider host lives on the standalone server, both ways: an incoming path to
 * (provider, host, real path), and (provider, host, real path) to the URL a client should call.
 *
 * On the shared port a provider's main host (`api`, or fal's `queue`) sits under `/<provider>`
 * and its other hosts under `/<provider>/<host>`; fal's hosts are all named (`/fal/run`,
 * `/fal/queue`, `/fal/rest`, `/fal/media`) as users know them. A namespace can ride in the path as
 * `/~<namespace>/…`, for clients that cannot add a header; URLs handed back keep it.
 */
import type { ProviderId } from "../engine/faults.ts";
import type { ProviderDefinition } from "../engine/provider.ts";
import { Router } from "../engine/router.ts";
import { bareHost, mainHost, serverPrefix } from "../provider-hosts.ts";

export interface Located {
  provider: ProviderId;
  host: string;
  path: string;
  namespace?: string;
}

/** The provider's main host (the rule lives in provider-hosts.ts, shared with the browser). */
export function primaryHost(definition: ProviderDefinition): string {
  return mainHost(definition.id, definition.hosts);
}

/** One listener's view: the shared port (every provider) or a provider's own port. */
export class AddressMap {
  readonly #definitions: Map<ProviderId, ProviderDefinition>;
  /** Each provider's host at the bare `/<provider>` on the shared port (none for fal). */
  readonly #bareHosts = new Map<ProviderId, string | undefined>();
  /** Each provider host's prefix on the shared port, worked out once. */
  readonly #sharedPrefixes = new Map<ProviderId, Map<string, string>>();
  /** Set for a per-provider port: that provider's primary host at the root. */
  readonly #only?: { provider: ProviderId; host: string; router: Router };

  constructor(
    definitions: Map<ProviderId, ProviderDefinition>,
    only?: { provider: ProviderId; host?: string },
  ) {
    this.#definitions = definitions;
    for (const [id, definition] of definitions) {
      this.#bareHosts.set(id, bareHost(id, definition.hosts));
      const prefixes = Object.keys(definition.hosts).map(
        (h) => [h, serverPrefix(id, h, definition.hosts)] as const,
      );
      this.#sharedPrefixes.set(id, new Map(prefixes));
    }
    if (only) {
      const definition = definitions.get(only.provider);
      if (!definition) throw new Error(`Failed to map a port: provider "${only.provider}" is not enabled.`);
      const host = only.host ?? primaryHost(definition);
      this.#only = {
        provider: only.provider,
        host,
        router: new Router(definition.routes.filter((r) => r.host === host)),
      };
    }
  }

  /** Splits a request path (no query) into provider, host and real path. */
  locate(rawPath: string): Located | undefined {
    let path = rawPath;
    let namespace: string | undefined;
    if (path.startsWith("/~")) {
      const end = path.indexOf("/", 2);
      try {
        namespace = decodeURIComponent(end < 0 ? path.slice(2) : path.slice(2, end));
      } catch {
        return undefined;
      }
      path = end < 0 ? "/" : path.slice(end);
    }
    const withNs = (found: Omit<Located, "namespace">): Located =>
      namespace ? { ...found, namespace } : found;
    const [first, second] = segments(path);
    // Real paths of the root host win over host prefixes.
    if (this.#only?.router.servesPath(this.#only.host, path)) {
      return withNs({ provider: this.#only.provider, host: this.#only.host, path });
    }
    if (this.#only) {
      const definition = this.#definitions.get(this.#only.provider)!;
      if (
        second === undefined &&
        first !== undefined &&
        first !== this.#only.host &&
        first in definition.hosts
      ) {
        return withNs({ provider: this.#only.provider, host: first, path: "/" });
      }
      if (first !== undefined && first !== this.#only.host && first in definition.hosts) {
        return withNs({
          provider: this.#only.provider,
          host: first,
          path: path.slice(first.length + 1) || "/",
        });
      }
      return withNs({ provider: this.#only.provider, host: this.#only.host, path });
    }
    if (!first) return undefined;
    const provider = first as ProviderId;
    const definition = this.#definitions.get(provider);
    if (!definition) return undefined;
    const rest = path.slice(first.length + 1) || "/";
    const bare = this.#bareHosts.get(provider);
    if (second !== undefined && second in definition.hosts && second !== bare) {
      return withNs({ provider, host: second, path: rest.slice(second.length + 1) || "/" });
    }
    if (bare === undefined) return undefined;
    return withNs({ provider, host: bare, path: rest });
  }

  /** The path prefix for a provider host on this listener. */
  prefix(provider: ProviderId, host: string): string {
    if (this.#only) return host === this.#only.host ? "" : `/${host}`;
    return this.#sharedPrefixes.get(provider)?.get(host) ?? serverPrefix(provider, host);
  }

  url(base: string, provider: ProviderId, host: string, path: string, namespace?: string): string {
    const ns = namespace ? `/~${encodeURIComponent(namespace)}` : "";
    return `${base}${ns}${this.prefix(provider, host)}${path}`;
  }

  /** Base URL of each provider's main host, for the banner and the dashboard. */
  baseUrls(base: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, definition] of this.#definitions) {
      if (this.#only && id !== this.#only.provider) continue;
      for (const host of Object.keys(definition.hosts)) out[`${id}.${host}`] = this.url(base, id, host, "");
    }
    return out;
  }
}

function segments(path: string): [string | undefined, string | undefined] {
  const parts = path.split("/", 3);
  return [parts[1] || undefined, parts[2] || undefined];
}
