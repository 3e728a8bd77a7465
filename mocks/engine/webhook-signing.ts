/**
 * The simulator's own Ed25519 key, published as a JWKS (OKP), for providers whose webhooks are
 * signed with a key pair. What each provider signs (its message format) lives in its folder.
 */
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";

export interface Ed25519Signer {
  /** A JWKS with the public key (OKP, Ed25519). */
  jwks: { keys: Array<Record<string, string>> };
  /** Hex Ed25519 signature of the message's UTF-8 bytes. */
  sign(message: string): string;
}

export function createEd25519Signer(keyId = "upscale-harness-1", privateKey?: KeyObject): Ed25519Signer {
  const key = privateKey ?? generateKeyPairSync("ed25519").privateKey;
  const publicJwk = key.export({ format: "jwk" }) as Record<string, string>;
  // Strip the private part; a JWKS carries public keys only.
  const { d: _private, ...publicOnly } = publicJwk;
  return {
    jwks: { keys: [{ ...publicOnly, kid: keyId, use: "sig", alg: "EdDSA" } as Record<string, string>] },
    sign: (message) => sign(null, Buffer.from(message, "utf8"), key).toString("hex"),
  };
}
