/** The `mock` command's proxy flags and what it prints about the proxy once it runs. */
import { proxyEnvLines } from "../../mocks/proxy/env.ts";
import type { ProxyInfo, ProxyOptions } from "../../mocks/proxy/proxy.ts";

export function proxyOptions(
  port: string | undefined,
  caDir: string | undefined,
  passthrough: string | undefined,
): ProxyOptions | undefined {
  if (port === undefined) {
    if (caDir !== undefined || passthrough !== undefined)
      throw new Error(
        "Failed to start the proxy: --ca-dir and --proxy-passthrough need --proxy-port <port>.",
      );
    return undefined;
  }
  if (!/^\d+$/.test(port) || Number(port) > 65_535)
    throw new Error(
      `Failed to read --proxy-port "${port}": use a number from 0 to 65535 (0 picks a free port).`,
    );
  const hosts = (passthrough ?? "")
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  return {
    port: Number(port),
    ...(caDir !== undefined ? { caDir } : {}),
    ...(hosts.length > 0 ? { passthrough: hosts } : {}),
  };
}

export function proxyBanner(proxy: ProxyInfo): string[] {
  return [
    `  HTTPS proxy        ${proxy.url} (CA ${proxy.caCertPath})`,
    `    simulates        ${proxy.hosts.join(", ")}`,
    `    lets through     ${proxy.passthrough.length > 0 ? proxy.passthrough.join(", ") : "nothing else (--proxy-passthrough host,…)"}`,
    "",
    "Any client, unchanged: paste into the app's shell",
    ...proxyEnvLines(proxy).map((line) => `  ${line}`),
  ];
}
