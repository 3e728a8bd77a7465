/**
 * Webhook verification for the providers that sign their deliveries. Each scheme lives in its
 * provider's folder; this table is the one place that lists them.
 */

import type { OperationStatus } from "./core/types.ts";
import {
  parseWith,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWith,
  type WebhookScheme,
} from "./core/webhooks.ts";
import { falWebhook } from "./providers/fal/webhook.ts";
import { freepikWebhook } from "./providers/freepik/webhook.ts";
import type { ProviderId } from "./providers/ids.ts";

const schemes = { freepik: freepikWebhook, fal: falWebhook } satisfies Partial<
  Record<ProviderId, WebhookScheme>
>;

/** The providers that sign their webhooks. */
export type WebhookProvider = keyof typeof schemes;

/** Verifies a webhook delivery; throws WebhookVerificationError saying why it is refused. */
export function verifyWebhook(
  provider: WebhookProvider,
  options: VerifyWebhookOptions,
): Promise<VerifiedWebhook> {
  return verifyWith(provider, schemes[provider], options);
}

/** A webhook body (parsed JSON or the raw text) in the shape `status()` gives. */
export function parseWebhook(provider: WebhookProvider, body: unknown): OperationStatus {
  return parseWith(provider, schemes[provider], body);
}
