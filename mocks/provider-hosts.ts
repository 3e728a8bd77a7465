/**
 * Each provider's hosts: host key → real origin, where each host sits on the standalone server,
 * and the namespace header every transport reads. Browser-safe (no node modules, no sharp), so
 * `msw-browser.ts` can put handlers on the real hosts, and forward them to the server's paths,
 * without loading the simulators. The hosts are each provider's facts (`src/providers/<p>/facts.ts`),
 * the same objects the provider definitions and the client read.
 */
import { chainhubFacts } from "../src/providers/chainhub/facts.ts";
import { falFacts } from "../src/providers/fal/facts.ts";
import { freepikFacts } from "../src/providers/freepik/facts.ts";
import { ideogramFacts } from "../src/providers/ideogram/facts.ts";
import type { ProviderId } from "../src/providers/ids.ts";
import { oneminFacts } from "../src/providers/onemin/facts.ts";

/** The request header naming a test run's namespace (tasks, scenarios, journal, clock). */
export const namespaceHeader = "x-mock-namespace";

export const providerHosts = {
  ideogram: ideogramFacts.hosts,
  chainhub: chainhubFacts.hosts,
  fal: falFacts.hosts,
  onemin: oneminFacts.hosts,
  freepik: freepikFacts.hosts,
} as const satisfies Record<ProviderId, Readonly<Record<string, string>>>;

type Hosts = Readonly<Record<string, string>>;

/** A provider's hosts by its id, as the simulator's definitions name themselves. */
const hostsOf = (provider: string): Hosts => (providerHosts as Record<string, Hosts>)[provider] ?? {};

/** Providers whose every host is reached by name, with no bare `/<provider>` host. */
const allHostsNamed: ReadonlySet<string> = new Set<ProviderId>(["fal"]);

/** fal has no `api` host; its queue is what clients use most, so a fal port serves it at the root. */
const mainHostOverrides: Readonly<Record<string, string>> = { fal: "queue" } satisfies Partial<
  Record<ProviderId, string>
>;

/** A provider's main host (`api`, or fal's `queue`): the one its own port serves at the root. */
export function mainHost(provider: string, hosts: Hosts = hostsOf(provider)): string {
  const keys = Object.keys(hosts);
  return (
    (Object.hasOwn(mainHostOverrides, provider) ? mainHostOverrides[provider] : undefined) ??
    (keys.includes("api") ? "api" : (keys[0] ?? "api"))
  );
}

/** The host the shared port serves at the bare `/<provider>`; `undefined` when all are named. */
export function bareHost(provider: string, hosts: Hosts = hostsOf(provider)): string | undefined {
  return allHostsNamed.has(provider) ? undefined : mainHost(provider, hosts);
}

/**
 * Where a provider host lives on the server's shared port: `/<provider>` for its main host,
 * `/<provider>/<host>` for the others; fal's hosts are all named (`/fal/queue`, `/fal/run`…).
 */
export function serverPrefix(provider: string, host: string, hosts: Hosts = hostsOf(provider)): string {
  return host === bareHost(provider, hosts) ? `/${provider}` : `/${provider}/${host}`;
}
