/**
 * The DNS-rebinding defence. A page on a name its owner controls can re-point that name at
 * 127.0.0.1; the browser then treats this server as the page's own origin and lets it read
 * every answer. The page cannot change the Host header, though: it still names the page's host.
 * So only names that point here by construction are served: loopback names (`localhost` and
 * `*.localhost`, which browsers resolve to loopback themselves), IP addresses (a rebinding page
 * needs a name; an address is not rebound), the address the server is bound to, and the names
 * its user lists (`--allowed-hosts`, e.g. a docker-compose service name).
 */
import type { ServerResponse } from "node:http";
import { isIP } from "node:net";
import { corsHeaders } from "./cors.ts";

/** The names a server answers to besides loopback and IP addresses; "all" turns the check off. */
export type AllowedHosts = readonly string[] | "all";

/** The host name of a Host header: no port, no brackets, lower case, no trailing dot. */
export function hostName(header: string): string {
  const bracketed = /^\[([^\]]*)\](?::\d*)?$/.exec(header);
  const name = bracketed ? bracketed[1]! : header.replace(/:\d*$/, "");
  return name.toLowerCase().replace(/\.$/, "");
}

/**
 * A predicate over Host headers. An entry starting with a dot (`.example.test`) allows that
 * name and every name under it. A request without Host (HTTP/1.0, never a browser) passes.
 */
export function hostAllowlist(
  bound: string,
  allowed: AllowedHosts = [],
): (host: string | undefined) => boolean {
  if (allowed === "all") return () => true;
  const exact = new Set(["localhost", hostName(bound)]);
  const suffixes = [".localhost"];
  for (const entry of allowed) {
    const name = hostName(entry.trim());
    if (name.startsWith(".")) {
      suffixes.push(name);
      exact.add(name.slice(1));
    } else if (name) exact.add(name);
  }
  return (header) => {
    if (header === undefined || header === "") return true;
    const name = hostName(header);
    return isIP(name) !== 0 || exact.has(name) || suffixes.some((suffix) => name.endsWith(suffix));
  };
}

/**
 * Answers 403, naming the flag. A provider route's refusal carries its usual CORS headers, so a
 * page that forwards there by a name not yet listed can show the reason instead of a CORS error.
 */
export function refuseHost(res: ServerResponse, header: string, providerRoute: boolean): void {
  const name = hostName(header).slice(0, 100);
  res.writeHead(403, {
    "content-type": "application/json",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    ...(providerRoute ? corsHeaders : {}),
  });
  res.end(
    JSON.stringify({
      error: `Refused: this server does not answer to the host name "${name}". It serves loopback names, IP addresses, its bound address and the names it was given, so that a web page which re-points its own name at this machine (DNS rebinding) cannot read it. If you reach the server by this name (e.g. a docker-compose service), start it with --allowed-hosts ${name} (allowedHosts in code).`,
    }),
  );
}
