/**
 * The unified client: `createUpscaler({ provider | providers, … })`. `upscale()` waits and returns
 * a normalized result; `start()` returns a plain-JSON handle that `status()`, `result()`, `wait()`
 * and `cancel()` take, in this process or another. Every wait reads the one Clock; every provider
 * call goes through the shared transport, retry policy, poll loop, failover and circuit breakers
 * (`client/runtime.ts`), one job at a time (`client/jobs.ts`), to a result (`client/results.ts`).
 */

import { ClientRuntime } from "./client/runtime.ts";
import { UnifiedUpscaler } from "./client/upscaler.ts";
import { ValidationError } from "./core/errors.ts";
import { providerIds } from "./providers/ids.ts";
import type { Upscaler, UpscalerConfig } from "./upscaler-api.ts";

export { providerModules } from "./providers/index.ts";
export type { CallOptions, Upscaler, UpscalerConfig, WaitOptions } from "./upscaler-api.ts";

export function createUpscaler(config: UpscalerConfig = {}): Upscaler {
  const providers = config.providers ?? (config.provider ? [config.provider] : []);
  if (providers.length === 0) {
    throw new ValidationError(
      "Failed to create the upscaler: no provider given. Pass provider or providers.",
      {
        status: 0,
        fieldErrors: [{ field: "provider", message: "required" }],
      },
    );
  }
  for (const p of providers) {
    if (!providerIds.includes(p)) {
      throw new ValidationError(
        `Failed to create the upscaler: unknown provider "${p}". Use one of ${providerIds.join(", ")}.`,
        { status: 0, fieldErrors: [{ field: "providers", message: `unknown provider ${p}` }] },
      );
    }
  }
  return new UnifiedUpscaler(new ClientRuntime(config), providers);
}
