/**
 * MSW handlers for the browser (`setupWorker`). The simulators need sharp and node:crypto, so a
 * page cannot run them; instead each request to a provider's real host is forwarded to the
 * standalone server (`npx upscale-harness mock`) at that host's path on the server, and the
 * server's answer is returned as-is. Only forwarding lives here; every behaviour is the server's.
 */
import { bypass, type HttpHandler, HttpResponse, http } from "msw";
import type { ProviderId } from "../src/providers/ids.ts";
import { namespaceHeader, providerHosts, serverPrefix } from "./provider-hosts.ts";

/** Where a provider host lives on the server's shared port (the rule AddressMap.prefix uses). */
export { serverPrefix };

export interface BrowserHandlersOptions {
  /** The standalone server, e.g. "http://127.0.0.1:4010" (it answers pages with CORS headers). */
  serverUrl: string;
  /**
   * Namespace for requests without their own `x-mock-namespace`; sent as that header and as the
   * `/~<name>` path prefix, so the URLs the server hands back (status, images) keep it.
   */
  namespace?: string;
  /** Only these providers' hosts are intercepted (default: all). */
  providers?: ProviderId[];
}

export function createBrowserHandlers(options: BrowserHandlersOptions): HttpHandler[] {
  if (!URL.canParse(options.serverUrl)) {
    throw new Error(
      `Failed to create the browser handlers: serverUrl "${options.serverUrl}" is not an absolute URL. Pass the simulator server's address, e.g. "http://127.0.0.1:4010".`,
    );
  }
  const base = options.serverUrl.replace(/\/+$/, "");
  const providers = options.providers ?? (Object.keys(providerHosts) as ProviderId[]);
  for (const provider of providers) {
    if (!(provider in providerHosts)) {
      throw new Error(
        `Failed to create the browser handlers: unknown provider "${provider}". Use one of ${Object.keys(providerHosts).join(", ")}.`,
      );
    }
  }
  let warned = false;

  const forward = async (request: Request, prefix: string): Promise<Response> => {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    // The namespace rides in the path (`/~<name>`) so the URLs the server hands back keep it.
    const namespace = headers.get(namespaceHeader) ?? options.namespace;
    if (namespace) headers.set(namespaceHeader, namespace);
    const ns = namespace ? `/~${encodeURIComponent(namespace)}` : "";
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    const init: RequestInit = {
      method: request.method,
      headers,
      signal: request.signal,
      ...(hasBody ? { body: await request.arrayBuffer() } : {}),
    };
    try {
      // bypass(): the service worker lets this request through instead of asking the handlers.
      return await fetch(bypass(`${base}${ns}${prefix}${url.pathname}${url.search}`, init));
    } catch (error) {
      if (!warned) {
        warned = true;
        console.warn(
          `[upscale-harness] Failed to reach the simulator server at ${options.serverUrl} (${(error as Error).message}): the app sees a network error. Start it with \`npx upscale-harness mock\` or fix serverUrl (a "reset" scenario drops connections on purpose).`,
        );
      }
      return HttpResponse.error();
    }
  };

  return providers.flatMap((provider) =>
    Object.entries(providerHosts[provider]).map(([host, origin]) => {
      const prefix = serverPrefix(provider, host);
      return http.all(`${origin}/*`, ({ request }) => forward(request, prefix));
    }),
  );
}
