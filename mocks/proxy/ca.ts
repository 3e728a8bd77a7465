/**
 * The local certificate authority the HTTPS proxy signs its leaf certificates with. Made once
 * with node-forge (keys from node:crypto), kept in a directory and reused across runs, so a
 * client told to trust it once keeps trusting it.
 *
 * Files: `ca-key.pem` (mode 0600) holds the private key and the certificate together, so the
 * pair appears in one atomic, exclusive step and two processes starting at once agree on one CA;
 * `ca.pem` is the certificate alone (what clients trust); `ca-bundle.pem` is it plus Node's
 * copy of the public roots, for tools whose CA setting replaces their roots (SSL_CERT_FILE),
 * so hosts tunnelled through untouched still verify.
 */
import { generateKeyPair, randomBytes } from "node:crypto";
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { rootCertificates } from "node:tls";
import { promisify } from "node:util";
import forge from "node-forge";

export interface LocalCa {
  dir: string;
  /** The CA certificate alone (PEM): what clients are told to trust. */
  certPath: string;
  certPem: string;
  /** The CA certificate followed by the public roots, for settings that replace the roots. */
  bundlePath: string;
  /** The private key and certificate, mode 0600. */
  keyPath: string;
  cert: forge.pki.Certificate;
  key: forge.pki.PrivateKey;
}

const keyFile = "ca-key.pem";
const certFile = "ca.pem";
const bundleFile = "ca-bundle.pem";
const caName = "upscale-harness local CA";
const caYears = 10;
/** A CA this close to expiry is replaced rather than used for leaves that would outlive it. */
const renewBeforeMs = 30 * 24 * 3600 * 1000;

/** Where the CA lives when no directory is given: the user's configuration directory. */
export function defaultCaDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (platform === "win32")
    return join(env.APPDATA ?? join(homedir(), "AppData", "Roaming"), "upscale-harness");
  if (platform === "darwin") return join(homedir(), "Library", "Application Support", "upscale-harness");
  return join(env.XDG_CONFIG_HOME || join(homedir(), ".config"), "upscale-harness");
}

/** Loads the CA kept in `dir`, making it (and `dir`) first when there is none or it is expiring. */
export async function loadOrCreateCa(dir: string = defaultCaDir()): Promise<LocalCa> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, keyFile);
  let pair = readPair(keyPath);
  if (!pair || pair.cert.validity.notAfter.getTime() - Date.now() < renewBeforeMs) {
    pair = await createPair(keyPath, pair !== undefined);
  }
  // A key file copied or restored with looser permissions is tightened, not trusted as is.
  if (process.platform !== "win32" && (statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
  const certPem = forge.pki.certificateToPem(pair.cert);
  const certPath = join(dir, certFile);
  const bundlePath = join(dir, bundleFile);
  writeIfChanged(certPath, certPem);
  writeIfChanged(bundlePath, `${certPem}${rootCertificates.join("\n")}\n`);
  return { dir, certPath, certPem, bundlePath, keyPath, ...pair };
}

type Pair = { cert: forge.pki.Certificate; key: forge.pki.PrivateKey };

function readPair(keyPath: string): Pair | undefined {
  let text: string;
  try {
    text = readFileSync(keyPath, "utf8");
  } catch {
    return undefined;
  }
  try {
    const blocks = forge.pem.decode(text);
    const block = (type: string) => forge.pem.encode(blocks.find((b) => b.type === type)!);
    const key = forge.pki.privateKeyFromPem(block("PRIVATE KEY")) as forge.pki.rsa.PrivateKey;
    const cert = forge.pki.certificateFromPem(block("CERTIFICATE"));
    const publicKey = cert.publicKey as forge.pki.rsa.PublicKey;
    if (!publicKey.n.equals(key.n)) return undefined;
    return { cert, key };
  } catch {
    return undefined;
  }
}

async function createPair(keyPath: string, replace: boolean): Promise<Pair> {
  const { cert, key, keyPem } = await makeCa();
  const text = `${keyPem}${forge.pki.certificateToPem(cert)}`;
  const temporary = `${keyPath}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temporary, text, { mode: 0o600 });
  try {
    if (replace) renameSync(temporary, keyPath);
    else {
      // Exclusive: when another process made the CA meanwhile, its CA wins and is used.
      try {
        linkSync(temporary, keyPath);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const theirs = readPair(keyPath);
        if (theirs) return theirs;
        renameSync(temporary, keyPath);
      }
    }
  } finally {
    if (existsSync(temporary)) unlinkSync(temporary);
  }
  return { cert, key };
}

/** A fresh RSA key from node:crypto, in node-forge's form and as PKCS#8 PEM. */
export async function rsaKey(): Promise<{ key: forge.pki.rsa.PrivateKey; keyPem: string }> {
  const { privateKey } = await promisify(generateKeyPair)("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { key: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey, keyPem: privateKey };
}

/** A positive serial number of 16 random bytes, as node-forge wants it (hex). */
export function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString("hex");
}

async function makeCa(): Promise<Pair & { keyPem: string }> {
  const { key, keyPem } = await rsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(key.n, key.e);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(now + caYears * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: "commonName", value: caName },
    { name: "organizationName", value: "upscale-harness" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return { cert, key, keyPem };
}

/** Rewrites a derived file only when its content differs, through a rename (readers never see half). */
function writeIfChanged(path: string, content: string): void {
  try {
    if (readFileSync(path, "utf8") === content) return;
  } catch {
    // Not there yet.
  }
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
  writeFileSync(temporary, content, { mode: 0o644 });
  renameSync(temporary, path);
}
