/**
 * The secrets every replica must hold alike, or a link signed by one fails on another: the
 * result-link secret, the webhook secret and the Ed25519 webhook key (unless the caller gave
 * its own). The first replica to start writes them under a lease; the others read them.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes } from "node:crypto";
import type { SimulatorServices } from "./provider.ts";
import { type StateStore, StoreUnavailableError } from "./store/state-store.ts";
import { createEd25519Signer } from "./webhook-signing.ts";

/** Apart from clients' namespaces (an HTTP header cannot carry NUL), so a reset leaves it. */
const harnessNamespace = "\u0000harness";
const recordName = "secrets";

interface Secrets {
  linkSecret: string;
  webhookSecret: string;
  /** The Ed25519 private key as a JWK. */
  signingKey: string;
}

/** Replaces the services' secrets with the shared ones (keeping any the caller gave). */
export async function adoptSharedSecrets(
  store: StateStore,
  services: SimulatorServices,
  given: { webhookSecret: boolean; signer: boolean },
): Promise<void> {
  const secrets = await agree(store, {
    linkSecret: services.linkSecret,
    webhookSecret: services.webhookSecret,
    signingKey: JSON.stringify(generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" })),
  });
  services.linkSecret = secrets.linkSecret;
  if (!given.webhookSecret) services.webhookSecret = secrets.webhookSecret;
  if (!given.signer)
    services.signer = createEd25519Signer(
      undefined,
      createPrivateKey({ key: JSON.parse(secrets.signingKey), format: "jwk" }),
    );
}

async function agree(store: StateStore, mine: Secrets): Promise<Secrets> {
  const owner = randomBytes(8).toString("hex");
  for (let attempt = 0; attempt < 100; attempt++) {
    const stored = await store.getRecord(harnessNamespace, recordName);
    if (isSecrets(stored)) return stored;
    if (await store.claim(harnessNamespace, `${recordName}-lease`, owner, 5_000)) {
      const again = await store.getRecord(harnessNamespace, recordName);
      if (isSecrets(again)) return again;
      await store.setFields(harnessNamespace, recordName, { ...mine });
      return mine;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new StoreUnavailableError("the replicas' shared secrets were not written within 5 s.");
}

function isSecrets(record: Record<string, string> | undefined): record is Secrets & Record<string, string> {
  return Boolean(record?.linkSecret && record.webhookSecret && record.signingKey);
}
