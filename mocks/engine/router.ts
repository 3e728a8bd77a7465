/**
 * Matches (host, method, path) to a provider route. Patterns are compiled once; matching is a
 * short linear scan of a provider's few routes (no allocation beyond the params object).
 */
import type { Route } from "./provider.ts";

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

export class Router {
  readonly #byHost = new Map<string, CompiledRoute[]>();

  constructor(routes: Route[]) {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path
        .split("/")
        .map((segment) => {
          if (!segment.startsWith(":")) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          names.push(segment.slice(1));
          return "([^/]+)";
        })
        .join("/");
      const list = this.#byHost.get(route.host) ?? [];
      list.push({ route, regex: new RegExp(`^${source}/?$`), names });
      this.#byHost.set(route.host, list);
    }
  }

  match(host: string, method: string, path: string): RouteMatch | undefined {
    const candidates = this.#byHost.get(host);
    if (!candidates) return undefined;
    for (const candidate of candidates) {
      if (candidate.route.method !== method) continue;
      const found = candidate.regex.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      for (let i = 0; i < candidate.names.length; i++) {
        try {
          params[candidate.names[i]!] = decodeURIComponent(found[i + 1]!);
        } catch {
          return undefined;
        }
      }
      return { route: candidate.route, params };
    }
    return undefined;
  }

  /**
   * Whether any route of `host`, whatever its method, matches the whole path. Builds no params,
   * so it is cheap enough to ask on every request.
   */
  servesPath(host: string, path: string): boolean {
    const candidates = this.#byHost.get(host);
    if (!candidates) return false;
    for (const candidate of candidates) if (candidate.regex.test(path)) return true;
    return false;
  }

  hosts(): string[] {
    return [...this.#byHost.keys()];
  }
}
