/**
 * How a simulator's namespaces send webhooks: each attempt signed by the delivery's provider
 * (with the secrets of the moment, shared among replicas), sent by the caller's sender if it
 * gave one, and, with a shared store, handed to every replica as jobs.
 */
import type { ProviderId } from "./faults.ts";
import type { ProviderDefinition, SimulatorServices } from "./provider.ts";
import type { SimulatorOptions } from "./simulator-types.ts";
import type { SharedDeliveries, WebhookDispatcherOptions } from "./webhooks.ts";

export type DispatcherSettings = Omit<WebhookDispatcherOptions, "clock">;

/** The settings each namespace's dispatcher is made with (read when the namespace is made). */
export function webhookOptions(
  options: Pick<SimulatorOptions, "webhookSender" | "allowWebhookUrl">,
  providers: ReadonlyMap<ProviderId, ProviderDefinition>,
  services: SimulatorServices,
  shared: () => SharedDeliveries | undefined,
): () => DispatcherSettings {
  return () => {
    const deliveries = shared();
    return {
      sign: (delivery, attemptAt) =>
        providers.get(delivery.provider)?.signWebhook?.(services, delivery, attemptAt) ?? {},
      ...(options.webhookSender ? { send: options.webhookSender } : {}),
      ...(options.allowWebhookUrl ? { allowUrl: options.allowWebhookUrl } : {}),
      ...(deliveries ? { shared: deliveries } : {}),
    };
  };
}
