/**
 * Signs a webhook body the way each provider documents it, so a consumer test can hand the
 * pact's example payload to the client's `verifyWebhook` exactly as a receiver gets it.
 */
import { createHash, createHmac, generateKeyPairSync, sign } from "node:crypto";

export const webhookTime = 1_767_225_600; // 2026-01-01T00:00:00Z, in Unix seconds

export function freepikDelivery(secret: string, id: string, rawBody: string): Record<string, string> {
  const mac = createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(`${id}.${webhookTime}.${rawBody}`)
    .digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(webhookTime), "webhook-signature": `v1,${mac}` };
}

export function falKeys() {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const jwk = publicKey.export({ format: "jwk" }) as Record<string, unknown>;
  return {
    jwks: { keys: [{ ...jwk, kid: "pact", use: "sig", alg: "EdDSA" }] },
    delivery(requestId: string, userId: string, rawBody: string): Record<string, string> {
      const digest = createHash("sha256").update(rawBody).digest("hex");
      const message = [requestId, userId, String(webhookTime), digest].join("\n");
      return {
        "x-fal-webhook-request-id": requestId,
        "x-fal-webhook-user-id": userId,
        "x-fal-webhook-timestamp": String(webhookTime),
        "x-fal-webhook-signature": sign(null, Buffer.from(message), privateKey).toString("hex"),
      };
    },
  };
}
