/** fal's webhook signature (docs/providers.md "fal"), made with the simulator's Ed25519 key. */
import { createHash } from "node:crypto";
import type { Ed25519Signer } from "../../engine/webhook-signing.ts";

/** `request_id \n user_id \n timestamp \n sha256hex(body)`: what fal signs. */
export function falMessage(
  requestId: string,
  userId: string,
  timestampSeconds: number,
  rawBody: string,
): string {
  const bodyHash = createHash("sha256").update(rawBody).digest("hex");
  return [requestId, userId, String(timestampSeconds), bodyHash].join("\n");
}

/** The `X-Fal-Webhook-Signature` value: hex Ed25519 over `falMessage`. */
export function falSignature(
  signer: Ed25519Signer,
  requestId: string,
  userId: string,
  timestampSeconds: number,
  rawBody: string,
): string {
  return signer.sign(falMessage(requestId, userId, timestampSeconds, rawBody));
}
