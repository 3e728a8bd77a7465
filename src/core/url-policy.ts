/**
 * Which URLs a provider may make the client fetch. Status URLs, result URLs and upload URLs come
 * from provider answers, so a compromised or confused answer could point anywhere: the client
 * fetches them only on the provider's own origins, its known CDNs (https), or a configured base
 * URL. Credentials go to the configured API origins only, never to a CDN or result URL.
 */
import { UnsafeUrlError } from "./errors.ts";
import type { ProviderId } from "./types.ts";

export class OriginPolicy {
  readonly #provider: ProviderId;
  /** Base URLs configured for this provider's API hosts (credentials go here only). */
  readonly #apiBases: string[];
  readonly #origins: Set<string>;
  readonly #hosts: string[];

  constructor(
    provider: ProviderId,
    apiBases: string[],
    extraBases: string[] = [],
    /** Host patterns results and uploads may come from; `*.x` also allows x's subdomains. */
    hosts: readonly string[] = [],
  ) {
    this.#provider = provider;
    this.#apiBases = apiBases.map((base) => base.replace(/\/+$/, ""));
    this.#origins = new Set([...apiBases, ...extraBases].map((base) => new URL(base).origin));
    this.#hosts = [...hosts];
  }

  /** Whether the client may fetch `url` (without credentials). */
  allows(url: string | URL): boolean {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (this.#origins.has(parsed.origin)) return true;
    if (parsed.protocol !== "https:" || parsed.username || parsed.password) return false;
    const host = parsed.hostname.toLowerCase();
    return this.#hosts.some((pattern) =>
      pattern.startsWith("*.") ? host.endsWith(pattern.slice(1)) : host === pattern,
    );
  }

  /** The URL, if the client may fetch it; else an UnsafeUrlError naming it. */
  check(url: string, what: string): URL {
    if (!this.allows(url)) {
      throw new UnsafeUrlError(
        `Failed to fetch the ${what}: ${this.#provider} returned ${describe(url)}, which is neither one of its origins, a known CDN of it, nor a configured base URL. Add the host to trustedHosts if it is genuine.`,
        { provider: this.#provider, url },
      );
    }
    return new URL(url);
  }

  /** Whether `url` is under one of the configured API base URLs (where credentials may go). */
  isApiUrl(url: string | URL): boolean {
    const text = String(url);
    return this.#apiBases.some((base) => text === base || text.startsWith(`${base}/`));
  }
}

/** The URL without its query (which may hold signatures) for messages. */
export function describe(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return JSON.stringify(url.slice(0, 60));
  }
}
