/** Every enabled provider's route table, matched by (provider, host, method, path). */
import type { ProviderId } from "./faults.ts";
import type { ProviderDefinition } from "./provider.ts";
import { type RouteMatch, Router } from "./router.ts";

export class ProviderRoutes {
  readonly routers = new Map<ProviderId, Router>();

  constructor(definitions: ProviderDefinition[]) {
    for (const definition of definitions) this.routers.set(definition.id, new Router(definition.routes));
  }

  /**
   * The route for a request. A path whose escapes do not decode (`%zz`) still names its route,
   * with the parameter taken literally, so the handler answers in the provider's own words (and
   * after the credentials are checked) instead of the generic not-found.
   */
  match(provider: ProviderId, host: string, method: string, path: string): RouteMatch | undefined {
    const router = this.routers.get(provider);
    if (!router) return undefined;
    return (
      router.match(host, method, path) ??
      (path.includes("%") ? router.match(host, method, path.replaceAll("%", "%25")) : undefined)
    );
  }
}
