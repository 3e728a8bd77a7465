import { createHash, createHmac, createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createEd25519Signer } from "../../mocks/engine/webhook-signing.ts";
import { falMessage, falSignature } from "../../mocks/providers/fal/signature.ts";
import { freepikSignature } from "../../mocks/providers/freepik/signature.ts";

describe("freepikSignature", () => {
  it("is v1, plus base64 HMAC-SHA256 of `id.timestamp.body` under the UTF-8 secret", () => {
    const secret = "whsec-ünïcode-🔑";
    const body = '{"task_id":"abc","status":"COMPLETED","generated":["https://x/y.png"]}';
    const expected = createHmac("sha256", new TextEncoder().encode(secret))
      .update(`msg_1.1767225600.${body}`, "utf8")
      .digest("base64");
    expect(freepikSignature(secret, "msg_1", 1_767_225_600, body)).toBe(`v1,${expected}`);
  });

  it("matches a fixed vector", () => {
    expect(freepikSignature("secret", "id", 1, "{}")).toBe(
      `v1,${createHmac("sha256", "secret").update("id.1.{}").digest("base64")}`,
    );
  });

  it("signs the raw body: a re-serialised body gets a different signature", () => {
    const raw = '{"a":1, "b":2}';
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(freepikSignature("s", "id", 1, raw)).not.toBe(freepikSignature("s", "id", 1, reserialised));
  });
});

describe("fal signer", () => {
  it("builds the documented message: request_id, user_id, timestamp, sha256 hex of the body", () => {
    const body = '{"status":"OK"}';
    const hash = createHash("sha256").update(body).digest("hex");
    expect(falMessage("req-1", "user-9", 1_767_225_600, body)).toBe(`req-1\nuser-9\n1767225600\n${hash}`);
  });

  it("publishes a public-only OKP Ed25519 JWKS", () => {
    const signer = createEd25519Signer("kid-7");
    expect(signer.jwks.keys).toHaveLength(1);
    const [jwk] = signer.jwks.keys;
    expect(jwk).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: "kid-7", use: "sig", alg: "EdDSA" });
    expect(jwk).not.toHaveProperty("d");
    expect(typeof jwk!.x).toBe("string");
  });

  it("signatures verify with node:crypto against the JWKS public key", () => {
    const signer = createEd25519Signer();
    const publicKey = createPublicKey({ key: signer.jwks.keys[0]!, format: "jwk" });
    const body = '{"request_id":"req-1","status":"OK","payload":{"images":[]}}';
    const signature = falSignature(signer, "req-1", "user-9", 1_767_225_600, body);
    expect(signature).toMatch(/^[0-9a-f]{128}$/);
    const message = Buffer.from(
      ["req-1", "user-9", "1767225600", createHash("sha256").update(body, "utf8").digest("hex")].join("\n"),
    );
    expect(verify(null, message, publicKey, Buffer.from(signature, "hex"))).toBe(true);
    // Any change to what is signed breaks it.
    const tampered = Buffer.from(message.toString().replace("1767225600", "1767225601"));
    expect(verify(null, tampered, publicKey, Buffer.from(signature, "hex"))).toBe(false);
    const otherBody = falMessage("req-1", "user-9", 1_767_225_600, `${body} `);
    expect(verify(null, Buffer.from(otherBody), publicKey, Buffer.from(signature, "hex"))).toBe(false);
  });

  it("uses the given private key, so two signers with one key agree", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519");
    const a = createEd25519Signer("k", privateKey);
    const b = createEd25519Signer("k", privateKey);
    expect(a.jwks).toEqual(b.jwks);
    expect(a.jwks.keys[0]!.x).toBe(publicKey.export({ format: "jwk" }).x);
    // Ed25519 is deterministic.
    expect(falSignature(a, "r", "u", 1, "{}")).toBe(falSignature(b, "r", "u", 1, "{}"));
  });

  it("fresh signers have different keys", () => {
    expect(createEd25519Signer().jwks.keys[0]!.x).not.toBe(createEd25519Signer().jwks.keys[0]!.x);
  });
});
