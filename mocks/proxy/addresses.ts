/**
 * Reading what a proxy client names: the authority of a CONNECT line, the path of an absolute
 * URL, and the namespace carried in the proxy credentials.
 */
import type { IncomingMessage } from "node:http";

/**
 * The namespace an unchanged client picks through its proxy URL's user name
 * (`HTTPS_PROXY=http://<namespace>@127.0.0.1:8080`), which clients send as Basic credentials.
 */
export function namespaceFromCredentials(req: IncomingMessage): string | undefined {
  const header = req.headers["proxy-authorization"];
  const basic = typeof header === "string" ? /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim()) : null;
  if (!basic) return undefined;
  const user = Buffer.from(basic[1]!, "base64").toString("utf8").split(":")[0] ?? "";
  let name = user;
  try {
    name = decodeURIComponent(user);
  } catch {
    // Kept as sent.
  }
  return name.length > 0 && name.length <= 200 ? name : undefined;
}

/** `host:port` of a CONNECT line (brackets around IPv6), or undefined when malformed. */
export function parseAuthority(text: string): { hostname: string; port: number } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9_.-]+):(\d{1,5})$/i.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { hostname: bare(match[1]!.toLowerCase()), port };
}

/** A host name without IPv6 brackets or the trailing dot of a fully qualified name. */
export function bare(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "");
}

export function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

export function pathOf(url: URL): string {
  return `${url.pathname}${url.search}`;
}
