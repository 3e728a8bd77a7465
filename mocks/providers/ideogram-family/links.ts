/**
 * Ideogram's ephemeral result links: `/api/images/ephemeral/<id>.png?exp=<unix s>&sig=<hex>`,
 * where `sig` is the hex HMAC-SHA256 of `<id>:<exp>` under the simulator's link secret. Changing
 * the id or the expiry breaks the signature, as on the real links.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const ephemeralPrefix = "/api/images/ephemeral/";

export function linkSignature(secret: string, id: string, exp: number): string {
  return createHmac("sha256", secret).update(`${id}:${exp}`).digest("hex");
}

/** The path and query of a signed link expiring at `expiresAtMs`. */
export function signedPath(secret: string, id: string, expiresAtMs: number): string {
  const exp = Math.floor(expiresAtMs / 1000);
  return `${ephemeralPrefix}${id}.png?exp=${exp}&sig=${linkSignature(secret, id, exp)}`;
}

export type LinkCheck = { ok: true } | { ok: false; problem: "bad-signature" | "expired" };

/** Checks `sig` (constant time) and then `exp` against `nowMs`. */
export function checkLink(secret: string, id: string, query: URLSearchParams, nowMs: number): LinkCheck {
  const expText = query.get("exp") ?? "";
  const sig = query.get("sig") ?? "";
  if (!/^\d{1,12}$/.test(expText) || !/^[0-9a-f]{64}$/i.test(sig))
    return { ok: false, problem: "bad-signature" };
  const exp = Number(expText);
  const expected = Buffer.from(linkSignature(secret, id, exp), "hex");
  if (!timingSafeEqual(expected, Buffer.from(sig, "hex"))) return { ok: false, problem: "bad-signature" };
  if (Math.floor(nowMs / 1000) >= exp) return { ok: false, problem: "expired" };
  return { ok: true };
}
