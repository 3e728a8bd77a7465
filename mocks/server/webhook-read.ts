/**
 * The webhook deliveries as the admin API and the dashboard read them: this process's own, or,
 * with a shared store, every replica's (mocks/engine/shared-webhooks.ts), their attempts naming
 * the replica that made each.
 */
import { listSharedDeliveries } from "../engine/shared-webhooks.ts";
import type { Simulator } from "../engine/simulator.ts";
import { type DeliveryFilter, matchesDelivery, type WebhookDelivery } from "../engine/webhooks.ts";

/** The deliveries of `names`, each namespace's oldest first. */
export async function webhookDeliveries(
  simulator: Simulator,
  names: string[],
  filter: DeliveryFilter = {},
): Promise<WebhookDelivery[]> {
  const { store } = simulator;
  const lists = await Promise.all(
    names.map(async (name) =>
      store
        ? (await listSharedDeliveries(store, name)).filter((delivery) => matchesDelivery(delivery, filter))
        : simulator.namespace(name).webhooks.list(filter),
    ),
  );
  return lists.flat();
}
