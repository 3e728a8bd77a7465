/**
 * The two providers' webhook signatures, as their receivers verify them. Both sign the raw body
 * bytes, never a re-serialisation.
 */
import { createHash, createHmac, generateKeyPairSync, type KeyObject, sign } from "node:crypto";

/** Freepik: `webhook-signature: v1,<base64(HMAC-SHA256(secret, "id.timestamp.body"))>`. */
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

export interface FalSigner {
  /** A JWKS with the public key (OKP, Ed25519), as fal publishes its keys. */
  jwks: { keys: Array<Record<string, string>> };
  sign(requestId: string, userId: string, timestampSeconds: number, rawBody: string): string;
}

/** fal: hex Ed25519 over `request_id \n user_id \n timestamp \n sha256hex(body)`. */
export function falMessage(
  requestId: string,
  userId: string,
  timestampSeconds: number,
  rawBody: string,
): string {
  const bodyHash = createHash("sha256").update(rawBody).digest("hex");
  return [requestId, userId, String(timestampSeconds), bodyHash].join("\n");
}

export function createFalSigner(keyId = "upscale-harness-1", privateKey?: KeyObject): FalSigner {
  const key = privateKey ?? generateKeyPairSync("ed25519").privateKey;
  const publicJwk = key.export({ format: "jwk" }) as Record<string, string>;
  // Strip the private part; a JWKS carries public keys only.
  const { d: _private, ...publicOnly } = publicJwk;
  return {
    jwks: { keys: [{ ...publicOnly, kid: keyId, use: "sig", alg: "EdDSA" } as Record<string, string>] },
    sign(requestId, userId, timestampSeconds, rawBody) {
      const message = falMessage(requestId, userId, timestampSeconds, rawBody);
      return sign(null, Buffer.from(message), key).toString("hex");
    },
  };
}
