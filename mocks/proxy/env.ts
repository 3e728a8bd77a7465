/**
 * The environment that points a client at the proxy: HTTPS_PROXY, and trust in the local CA in
 * each tool's own setting. The start-up banner prints it; tests hand it to child processes.
 */
import type { ProxyInfo } from "./proxy.ts";

/** The variables, by name. The `*_CA_BUNDLE`/`SSL_CERT_FILE` ones replace a tool's roots, so they get the bundle. */
export function proxyEnv(
  info: Pick<ProxyInfo, "url" | "caCertPath" | "caBundlePath">,
): Record<string, string> {
  return {
    HTTPS_PROXY: info.url,
    SSL_CERT_FILE: info.caBundlePath,
    REQUESTS_CA_BUNDLE: info.caBundlePath,
    CURL_CA_BUNDLE: info.caBundlePath,
    NODE_EXTRA_CA_CERTS: info.caCertPath,
  };
}

/** Shell lines to paste: curl, Python (urllib, requests, httpx), Go, Ruby and Node. */
export function proxyEnvLines(info: Pick<ProxyInfo, "url" | "caCertPath" | "caBundlePath">): string[] {
  const env = proxyEnv(info);
  const quote = (value: string) =>
    /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
  const line = (...names: string[]) => `export ${names.map((n) => `${n}=${quote(env[n]!)}`).join(" ")}`;
  return [
    line("HTTPS_PROXY"),
    line("SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"),
    line("NODE_EXTRA_CA_CERTS"),
    "node --import upscale-harness/proxy app.js   # Node's fetch reads HTTPS_PROXY only through this",
  ];
}
