/**
 * fal's webhook: when a queued run submitted with `fal_webhook` ends, POST `{request_id,
 * gateway_request_id, status: OK|ERROR, payload}` signed with Ed25519 (`X-Fal-Webhook-*`
 * headers, keys published as a JWKS), retried up to 10 times over about two hours.
 */
import type { SimulatorServices, TransitionContext } from "../../engine/provider.ts";
import type { SignableDelivery } from "../../engine/webhooks.ts";
import { buildOutput } from "./output.ts";
import type { FalTask } from "./run-state.ts";
import { outcomeOf } from "./run-state.ts";
import { falSignature } from "./signature.ts";

/** Waits before attempts 2–10: 15 s doubling, 15·(2⁹−1) s ≈ 2 h 8 min in all. */
export const webhookBackoffMs = Array.from({ length: 9 }, (_, i) => 15_000 * 2 ** i);

async function webhookBody(context: TransitionContext, task: FalTask): Promise<string | undefined> {
  const outcome = outcomeOf(task, context.view);
  // A cancelled run is not reported: the caller asked for it and already knows.
  if (outcome.kind === "cancelled") return undefined;
  const ids = { request_id: task.id, gateway_request_id: task.id };
  if (outcome.kind === "error") {
    const { status, body } = outcome.error.answer;
    return JSON.stringify({
      ...ids,
      status: "ERROR",
      error: `Invalid status code: ${status}`,
      payload: body,
    });
  }
  try {
    return JSON.stringify({
      ...ids,
      status: "OK",
      payload: await buildOutput(context.sim, outcome.plan, context.ns.name),
    });
  } catch (error) {
    return JSON.stringify({ ...ids, status: "OK", payload: null, payload_error: (error as Error).message });
  }
}

export function onTaskTransition(context: TransitionContext): void {
  const { ns, view, chaos } = context;
  const task = context.task as FalTask;
  const url = task.data.webhookUrl;
  if (!view.terminal || !url) return;
  void webhookBody(context, task)
    .then((body) => {
      if (body === undefined) return;
      ns.webhooks.enqueue({
        namespace: ns.name,
        provider: "fal",
        url,
        taskId: task.id,
        event: "COMPLETED",
        body,
        signing: { userId: task.data.userId },
        backoffMs: webhookBackoffMs,
        random: ns.random,
        ...(chaos ? { chaos } : {}),
      });
    })
    .catch(() => {});
}

/** Signs one attempt with the (shared) Ed25519 key, at the attempt's own time. */
export function signWebhook(
  sim: SimulatorServices,
  delivery: SignableDelivery,
  at: number,
): Record<string, string> {
  const userId = delivery.signing.userId ?? "";
  const timestamp = Math.floor(at / 1000);
  return {
    "x-fal-webhook-request-id": delivery.taskId,
    "x-fal-webhook-user-id": userId,
    "x-fal-webhook-timestamp": String(timestamp),
    "x-fal-webhook-signature": falSignature(sim.signer, delivery.taskId, userId, timestamp, delivery.body),
  };
}
