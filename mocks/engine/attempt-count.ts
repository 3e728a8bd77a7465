/**
 * A request's attempt number in (namespace, provider, phase): what scenario rules such as "the
 * first two attempts fail" count. In this process, or across every replica on a shared store.
 */
import type { NamespaceState } from "./provider.ts";
import type { SharedNamespaces } from "./shared-namespaces.ts";

/** This request's attempt number in this process. */
export function localAttempt(ns: NamespaceState, key: string): number {
  const attempt = (ns.attempts.get(key) ?? 0) + 1;
  ns.attempts.set(key, attempt);
  return attempt;
}

/** The same, counted across every replica, once the namespace's shared scenarios are here. */
export async function sharedAttempt(
  shared: SharedNamespaces,
  ns: NamespaceState,
  key: string,
): Promise<number> {
  await shared.ready(ns);
  return shared.attempt(ns.name, key);
}
