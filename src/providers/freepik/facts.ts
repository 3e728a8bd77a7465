/** Freepik's Magnific upscalers, as docs/providers.md "freepik" records them with their sources. */
import type { ProviderFacts } from "../../core/facts.ts";

export const freepikFacts = {
  id: "freepik",
  docs: "https://docs.freepik.com/api-reference/image-upscaler-creative/post-image-upscaler",
  hosts: {
    api: "https://api.freepik.com",
    // The same API under Magnific's name, keyed with `x-magnific-api-key`.
    magnific: "https://api.magnific.com",
    cdn: "https://ai-statics.freepik.com",
  },
  apiHosts: ["api"],
  clientHosts: ["api"],
  resultHosts: ["*.freepik.com", "*.magnific.com"],
  envKey: "FREEPIK_API_KEY",
  credentialHeaders: ["x-freepik-api-key", "x-magnific-api-key"],
  limits: {
    /** Output cap: input pixels × scale² must stay under it. */
    maxOutputPixels: 25_300_000,
    /** `creativity`, `hdr`, `resemblance` and `fractality` run −10…10 (default 0). */
    knobMax: 10,
  },
} as const satisfies ProviderFacts & { limits: object };
