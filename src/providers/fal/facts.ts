/** fal's `fal-ai/ideogram/upscale` model, as docs/providers.md "fal" records it with its sources. */
import type { ProviderFacts } from "../../core/facts.ts";

export const falFacts = {
  id: "fal",
  docs: "https://fal.ai/models/fal-ai/ideogram/upscale/api",
  hosts: {
    run: "https://fal.run",
    queue: "https://queue.fal.run",
    rest: "https://rest.fal.ai",
    media: "https://v3.fal.media",
  },
  apiHosts: ["run", "queue", "rest"],
  clientHosts: ["run", "queue", "rest", "media"],
  resultHosts: ["fal.media", "*.fal.media", "*.fal.run", "fal.run", "*.fal.ai"],
  envKey: "FAL_KEY",
  credentialHeaders: ["authorization"],
  /** The official JS client, given a `proxyUrl`, sends every call there and names the real target here. */
  proxyTargetHeader: "x-fal-target-url",
} as const satisfies ProviderFacts & { proxyTargetHeader: string };
