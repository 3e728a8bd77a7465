/**
 * Each provider's hosts: host key → real origin, and the namespace header every transport reads.
 * Browser-safe (no node modules, no sharp), so `msw-browser.ts` can put handlers on the real
 * hosts without loading the simulators. Kept equal to the `hosts` of the provider definitions by
 * test/mocks/provider-hosts.test.ts.
 */
import type { ProviderId } from "./engine/faults.ts";

/** The request header naming a test run's namespace (tasks, scenarios, journal, clock). */
export const namespaceHeader = "x-mock-namespace";

export const providerHosts = {
  ideogram: { api: "https://api.ideogram.ai", cdn: "https://ideogram.ai" },
  chainhub: { api: "https://api.chainhub.tech", cdn: "https://cdn.chainhub.tech" },
  fal: {
    run: "https://fal.run",
    queue: "https://queue.fal.run",
    rest: "https://rest.fal.ai",
    media: "https://v3.fal.media",
  },
  onemin: { api: "https://api.1min.ai", asset: "https://asset.1min.ai" },
  freepik: {
    api: "https://api.freepik.com",
    magnific: "https://api.magnific.com",
    cdn: "https://ai-statics.freepik.com",
  },
} as const satisfies Record<ProviderId, Readonly<Record<string, string>>>;
