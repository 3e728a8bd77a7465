/**
 * The five provider modules by id, and how a configured base URL becomes each module's hosts.
 */
import type { ProviderModule } from "../core/adapter.ts";
import { chainhubModule } from "./chainhub/adapter.ts";
import { falModule } from "./fal/adapter.ts";
import { freepikModule } from "./freepik/adapter.ts";
import { ideogramModule } from "./ideogram/adapter.ts";
import type { ProviderId } from "./ids.ts";
import { oneminModule } from "./onemin/adapter.ts";

export const providerModules: Record<ProviderId, ProviderModule> = {
  ideogram: ideogramModule,
  chainhub: chainhubModule,
  fal: falModule,
  onemin: oneminModule,
  freepik: freepikModule,
};

/**
 * A module's base URLs by host name: its defaults, overridden by the caller's. A string names the
 * main API host (for fal, a prefix with /run, /queue, /rest and /media below it, as the
 * standalone simulator serves them).
 */
export function basesOf(
  module: ProviderModule,
  configured: string | Record<string, string> | undefined,
): Record<string, string> {
  if (configured === undefined) return { ...module.defaultBases };
  if (typeof configured !== "string") return { ...module.defaultBases, ...configured };
  const base = configured.replace(/\/+$/, "");
  if (module.id === "fal") {
    return { run: `${base}/run`, queue: `${base}/queue`, rest: `${base}/rest`, media: `${base}/media` };
  }
  const primary = module.apiHosts[0] ?? "api";
  return { ...module.defaultBases, [primary]: base };
}
