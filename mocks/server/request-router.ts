/**
 * What the standalone server does with one request on one of its ports: refuse a foreign Host,
 * hand /__admin to the admin API, answer CORS preflights, and pass everything else to the
 * simulated provider its address (or its proxy header) names.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressMap, Located } from "./address-map.ts";
import type { AdminContext } from "./admin-api.ts";
import { handleAdmin } from "./admin-api.ts";
import { answerPreflight } from "./cors.ts";
import { refuseHost } from "./host-check.ts";
import type { ProxyTargets } from "./proxy-targets.ts";
import { answerFailure, type ServeContext, type SimulatedTarget, serveSimulated } from "./serve-simulated.ts";

export interface Listener {
  server: Server;
  map: AddressMap;
  base: string;
  /** Where clients reach it (`publicUrl`, else `base`): the origin of the URLs handed back. */
  publicBase: string;
}

/** Everything the server shares between its ports. */
export interface Routing {
  serve: ServeContext;
  hostAllowed: (host: string | undefined) => boolean;
  adminToken: string | undefined;
  /** The server's addresses as the admin API reports them (known once every port is open). */
  summary: () => AdminContext["server"];
  proxyTargets: ProxyTargets;
  locateOwn: (target: URL) => Located | undefined;
  resolveOwn: SimulatedTarget["resolveOwn"];
}

/** The `request` listener for one port. */
export const requestHandler =
  (routing: Routing, listener: Listener) => async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const rawUrl = req.url ?? "/";
    const queryAt = rawUrl.indexOf("?");
    const path = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const query = queryAt < 0 ? "" : rawUrl.slice(queryAt + 1);
    try {
      // Against DNS rebinding. The HTTPS proxy, whose requests name real providers' hosts, hands
      // them to serveSimulated itself, past this listener: it judges its hosts on its own.
      if (!routing.hostAllowed(req.headers.host)) {
        refuseHost(res, req.headers.host ?? "", !path.startsWith("/__admin"));
        return;
      }
      if (path.startsWith("/__admin")) {
        const { serve, adminToken } = routing;
        await handleAdmin(req, res, {
          simulator: serve.simulator,
          path,
          query,
          adminToken,
          server: routing.summary(),
        });
        return;
      }
      if (answerPreflight(req, res)) return;
      await serveProvider(routing, listener, req, res, { path, query, started });
    } catch (error) {
      answerFailure(res, error, rawUrl, routing.serve.log);
    }
  };

async function serveProvider(
  routing: Routing,
  listener: Listener,
  req: IncomingMessage,
  res: ServerResponse,
  request: { path: string; query: string; started: number },
): Promise<void> {
  // A call sent through a provider client's proxy URL names its real target in a header.
  const proxied = routing.proxyTargets.route(req.headers, routing.locateOwn);
  const { path, query } = proxied ?? request;
  const located = proxied ? proxied.located : listener.map.locate(path);
  if (!located) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(
      JSON.stringify({
        error: `No simulated provider serves ${path}. Providers live under ${Object.values(listener.map.baseUrls("")).join(", ")}; the admin API is under /__admin.`,
      }),
    );
    return;
  }
  const target: SimulatedTarget = {
    located,
    query,
    url: (host, p) => listener.map.url(listener.publicBase, located.provider, host, p, located.namespace),
    resolveOwn: routing.resolveOwn,
  };
  await serveSimulated(routing.serve, req, res, target, request.started);
}
