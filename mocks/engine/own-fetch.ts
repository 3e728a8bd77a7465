/**
 * Fetching a URL this simulator serves itself (a result image handed to another provider's
 * route as input) by calling the download route directly, without a network round trip.
 */
import type { NamespaceState, ProviderDefinition, SimulatorServices } from "./provider.ts";
import type { Router } from "./router.ts";
import type { SimRequest } from "./sim-http.ts";
import type { Dispatch } from "./simulator-types.ts";

export interface OwnRoutes {
  providers: ReadonlyMap<string, ProviderDefinition>;
  routers: ReadonlyMap<string, Router>;
  sim: SimulatorServices;
}

/** The bytes behind one of our own download URLs; `undefined` for any other URL or a miss. */
export async function fetchOwn(
  own: OwnRoutes,
  dispatch: Dispatch,
  ns: NamespaceState,
  url: string,
): Promise<{ data: Uint8Array; contentType: string } | undefined> {
  const target = dispatch.resolveOwn(url);
  if (!target || !own.providers.has(target.provider)) return undefined;
  const match = own.routers.get(target.provider)?.match(target.host, "GET", target.path);
  if (match?.route.phase !== "download") return undefined;
  const req: SimRequest = {
    method: "GET",
    path: target.path,
    query: new URL(url).searchParams,
    headers: {},
    body: new Uint8Array(),
  };
  const answer = await match.route.handle({
    provider: target.provider,
    req,
    params: match.params,
    route: match.route,
    ns,
    sim: own.sim,
    faults: [],
    url: dispatch.url,
    fetchOwn: async () => undefined,
    remoteInput: async () => undefined,
    // A download takes no slots.
    takeSlots: async () => undefined,
    work: async () => {},
    noteTask: () => {},
    note: () => {},
  });
  if (answer.status !== 200 || answer.body.kind !== "bytes") return undefined;
  return {
    data: answer.body.value,
    contentType: answer.headers["content-type"] ?? "application/octet-stream",
  };
}
