/** chainhub's reseller endpoint for Ideogram's upscale, as docs/providers.md "chainhub" records it. */
import type { ProviderFacts } from "../../core/facts.ts";

export const chainhubFacts = {
  id: "chainhub",
  docs: "https://developer.ideogram.ai/api-reference/api-reference/upscale",
  hosts: {
    api: "https://api.chainhub.tech",
    // Inferred: chainhub documents no result host; its links live 24 h.
    cdn: "https://cdn.chainhub.tech",
  },
  apiHosts: ["api"],
  clientHosts: ["api"],
  // chainhub documents no result host; it proxies Ideogram, whose links it may pass on.
  resultHosts: ["*.chainhub.tech", "ideogram.ai", "*.ideogram.ai"],
  envKey: "CHAINHUB_API_KEY",
  credentialHeaders: ["authorization"],
} as const satisfies ProviderFacts;
