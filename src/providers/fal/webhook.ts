/**
 * fal's webhook signature (docs/providers.md "fal"): hex Ed25519 over
 * `request_id \n user_id \n timestamp \n sha256hex(rawBody)`, checked against the keys fal
 * publishes as a JWKS (OKP/Ed25519).
 */
import { createHash, createPublicKey, type JsonWebKey, verify } from "node:crypto";
import { bodyBytes, checkTimestamp, fail, header, type WebhookScheme } from "../../core/webhooks.ts";
import { falWebhookStatus } from "./status.ts";

export const falWebhook: WebhookScheme = {
  verify(options) {
    const requestId = header(options.headers, "x-fal-webhook-request-id");
    const userId = header(options.headers, "x-fal-webhook-user-id");
    const signature = header(options.headers, "x-fal-webhook-signature");
    if (!requestId || !userId || !signature)
      fail(
        "fal",
        "missing-header",
        "an X-Fal-Webhook-* header is missing",
        "Pass the request's headers as received.",
      );
    const keys = options.jwks?.keys ?? [];
    if (keys.length === 0)
      fail("fal", "no-key", "no JWKS keys were given", "Pass fal's JWKS (fetch it from fal and cache it).");
    const timestamp = checkTimestamp("fal", header(options.headers, "x-fal-webhook-timestamp"), options);
    const digest = createHash("sha256").update(bodyBytes(options.rawBody)).digest("hex");
    const message = Buffer.from([requestId, userId, String(timestamp), digest].join("\n"), "utf8");
    const sig = /^[0-9a-f]{128}$/i.test(signature) ? Buffer.from(signature, "hex") : undefined;
    const matches =
      sig !== undefined &&
      keys.some((jwk) => {
        if (jwk.kty !== "OKP" || jwk.crv !== "Ed25519") return false;
        try {
          return verify(null, message, createPublicKey({ key: jwk as JsonWebKey, format: "jwk" }), sig);
        } catch {
          return false;
        }
      });
    if (!matches)
      fail(
        "fal",
        "bad-signature",
        "the signature matches none of the JWKS keys",
        "Check the JWKS and that the body is the raw bytes received.",
      );
    return { id: requestId, timestamp };
  },
  status: falWebhookStatus,
};
