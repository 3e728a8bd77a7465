/**
 * Leaf certificates for the hosts the proxy answers for, signed by the local CA and cached per
 * host for the life of the proxy. One key serves every leaf (as mitmproxy does): making a key is
 * the slow part, and the leaves live only in memory.
 */
import { createSecureContext, type SecureContext } from "node:tls";
import forge from "node-forge";
import { type LocalCa, rsaKey, serialNumber } from "./ca.ts";

/** Under the 398 days browsers accept for a server certificate. */
const leafDays = 365;

export class LeafCertificates {
  readonly #ca: LocalCa;
  readonly #contexts = new Map<string, Promise<SecureContext>>();
  #key: Promise<{ key: forge.pki.rsa.PrivateKey; keyPem: string }> | undefined;

  constructor(ca: LocalCa) {
    this.#ca = ca;
  }

  /** The TLS context presenting `host`'s certificate; made on first use, then cached. */
  contextFor(host: string): Promise<SecureContext> {
    let context = this.#contexts.get(host);
    if (!context) {
      context = this.#make(host);
      // A failure is not cached: the next handshake tries again.
      context.catch(() => this.#contexts.delete(host));
      this.#contexts.set(host, context);
    }
    return context;
  }

  /** How many leaves are cached (for tests and the admin view). */
  get size(): number {
    return this.#contexts.size;
  }

  async #make(host: string): Promise<SecureContext> {
    this.#key ??= rsaKey();
    const { key, keyPem } = await this.#key;
    const ca = this.#ca;
    const cert = forge.pki.createCertificate();
    cert.publicKey = forge.pki.rsa.setPublicKey(key.n, key.e);
    cert.serialNumber = serialNumber();
    const now = Date.now();
    cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
    const notAfter = Math.min(now + leafDays * 24 * 3600 * 1000, ca.cert.validity.notAfter.getTime());
    cert.validity.notAfter = new Date(notAfter);
    cert.setSubject([{ name: "commonName", value: host }]);
    cert.setIssuer(ca.cert.subject.attributes);
    cert.setExtensions([
      { name: "basicConstraints", cA: false, critical: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      { name: "subjectAltName", altNames: [{ type: 2, value: host }] },
      { name: "subjectKeyIdentifier" },
      {
        name: "authorityKeyIdentifier",
        keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes(),
      },
    ]);
    cert.sign(ca.key as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
    return createSecureContext({ key: keyPem, cert: forge.pki.certificateToPem(cert) });
  }
}
