/** Freepik's webhook signature (docs/providers.md "freepik"), over the raw body bytes. */
import { createHmac } from "node:crypto";

/** `webhook-signature: v1,<base64(HMAC-SHA256(secret, "id.timestamp.body"))>`. */
export function freepikSignature(
  secret: string,
  id: string,
  timestampSeconds: number,
  rawBody: string,
): string {
  const mac = createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(`${id}.${timestampSeconds}.${rawBody}`)
    .digest("base64");
  return `v1,${mac}`;
}
