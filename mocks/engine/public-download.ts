/**
 * `--remote-images fetch`: the simulator downloads a remote input itself, as the provider
 * would, but only from the public internet: https only, no credentials in the URL, and every
 * address a connection goes to (after DNS, on each redirect) must be public — never loopback,
 * a private network, link-local (cloud metadata) or another special-purpose range — so a
 * request cannot make the simulator reach into the machine or network it runs in. Size and
 * time are bounded by the client's own download guard (src/core/bounded-download.ts).
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, fetch as undiciFetch } from "undici";
import { DownloadError, downloadBounded } from "../../src/core/bounded-download.ts";
import type { RemoteDownload } from "./remote-inputs.ts";

/** Special-purpose ranges (IANA registries for IPv4 and IPv6) that are not the public internet. */
const nonPublic = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  nonPublic.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001::", 23],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  nonPublic.addSubnet(network, prefix, "ipv6");

/** Whether an IP address is on the public internet (IPv4-mapped IPv6 counts as its IPv4). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !nonPublic.check(address, family === 6 ? "ipv6" : "ipv4");
}

/** Why `url` may not be downloaded at all, before any connection; `undefined` when it may. */
export function publicUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "it is not an absolute URL, so there is nothing to download";
  }
  if (parsed.protocol !== "https:") return `only https URLs are downloaded, not ${parsed.protocol}`;
  if (parsed.username || parsed.password) return "URLs with credentials are not downloaded";
  const host = parsed.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && !isPublicAddress(host)) return `${host} is not a public address`;
  return undefined;
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** DNS as usual, refusing a name that resolves to any non-public address. */
function publicLookup(hostname: string, options: { all?: boolean }, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const blocked = addresses.find((entry) => !isPublicAddress(entry.address));
    if (blocked) {
      const refusal = Object.assign(
        new Error(`${hostname} resolves to ${blocked.address}, not a public address`),
        {
          code: "ENOTPUBLIC",
        },
      );
      return callback(refusal, []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

export interface PublicDownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  /** Redirects followed, each checked like the first URL (default 3). */
  maxRedirects?: number;
}

/** A `RemoteDownload` for the public internet only (see the file's comment). */
export function publicDownload(limits: PublicDownloadLimits): RemoteDownload {
  const agent = new Agent({ connect: { lookup: publicLookup as never } });
  const maxRedirects = limits.maxRedirects ?? 3;
  // Redirects are followed here, so each target is checked like the first URL.
  const send = async (url: string, init: RequestInit): Promise<Response> => {
    let current = url;
    for (let hop = 0; ; hop++) {
      const problem = publicUrlProblem(current);
      if (problem) throw new DownloadError(problem);
      const response = (await undiciFetch(current, {
        ...(init as object),
        dispatcher: agent,
        redirect: "manual",
      })) as unknown as Response;
      const location = response.headers.get("location");
      if (response.status < 300 || response.status >= 400 || !location) return response;
      await response.body?.cancel().catch(() => {});
      if (hop >= maxRedirects) throw new DownloadError(`more than ${maxRedirects} redirects`);
      current = new URL(location, current).href;
    }
  };
  return async (url) => (await downloadBounded(url, send, limits)).bytes;
}
