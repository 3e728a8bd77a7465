/**
 * Files and reserved outputs in the shared store, so a result is served by any replica:
 * uploads and stored inputs as blobs (with a TTL, under the store's byte cap) beside a record
 * of what they are; a reserved output as its recipe (input id and upscale parameters) only, which
 * a replica asked for it renders and keeps locally. Writes start while a provider's handler runs
 * and are awaited (`flush`) before its answer leaves, so a URL handed out already works elsewhere.
 */
import type { FileReplication, StoredFile } from "./files.ts";
import type { OutputReplication, SharedReservation } from "./outputs.ts";
import type { StateStore } from "./store/state-store.ts";

/** Bounds how long the store keeps a file or recipe whatever a provider's retention says. */
const maxKeepMs = 7 * 24 * 60 * 60 * 1000;

const blobName = (id: string) => `file:${id}`;
const fileRecordName = (id: string) => `file-meta:${id}`;
const outputRecordName = (id: string) => `output:${id}`;
/** A namespace's reserved outputs by creation time: the dashboard's recent upscales. */
const outputIndexName = "outputs";
/** How many of a namespace's newest outputs that index keeps. */
const outputIndexCap = 100;

export class SharedFiles {
  readonly #store: StateStore;
  readonly #writes = new Set<Promise<void>>();
  #failure: unknown;
  /** For the FileStore: uploads and stored inputs. */
  readonly files: FileReplication = {
    save: (file) => this.#track(this.#saveFile(file)),
    load: (namespace, id) => this.#loadFile(namespace, id),
  };
  /** For the OutputStore: reserved outputs, as recipes. */
  readonly outputs: OutputReplication = {
    save: (reservation) => this.#track(this.#saveReservation(reservation)),
    load: (namespace, id) => this.#loadReservation(namespace, id),
  };

  constructor(store: StateStore) {
    this.#store = store;
  }

  /** Resolves once every write started so far is in the store; rejects with the first failure. */
  async flush(): Promise<void> {
    await Promise.all(this.#writes);
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure) throw failure;
  }

  #track(write: Promise<void>): void {
    const tracked = write.catch((error: unknown) => {
      this.#failure ??= error;
    });
    this.#writes.add(tracked);
    void tracked.finally(() => this.#writes.delete(tracked));
  }

  async #saveFile(file: StoredFile): Promise<void> {
    const ttl = keepMs(file.createdAt, file.expiresAt);
    const { data, ...meta } = file;
    // Over the store's per-value cap: the file stays with this replica only.
    if (!(await this.#store.putBlob(file.namespace, blobName(file.id), data, ttl))) return;
    await this.#store.setFields(file.namespace, fileRecordName(file.id), { meta: JSON.stringify(meta) }, ttl);
  }

  async #loadFile(namespace: string, id: string): Promise<StoredFile | undefined> {
    const record = await this.#store.getRecord(namespace, fileRecordName(id));
    if (record?.meta === undefined) return undefined;
    const data = await this.#store.getBlob(namespace, blobName(id));
    if (!data) return undefined;
    return { ...(JSON.parse(record.meta) as Omit<StoredFile, "data">), data };
  }

  async #saveReservation(reservation: SharedReservation): Promise<void> {
    const ttl = keepMs(reservation.createdAt, reservation.expiresAt);
    await this.#store.setFields(
      reservation.namespace,
      outputRecordName(reservation.id),
      { recipe: JSON.stringify(reservation) },
      ttl,
    );
    await this.#store.addToIndex(
      reservation.namespace,
      outputIndexName,
      reservation.id,
      reservation.createdAt,
      {
        cap: outputIndexCap,
        ttlMs: ttl,
      },
    );
  }

  async #loadReservation(namespace: string, id: string): Promise<SharedReservation | undefined> {
    const record = await this.#store.getRecord(namespace, outputRecordName(id));
    return record?.recipe === undefined ? undefined : (JSON.parse(record.recipe) as SharedReservation);
  }
}

/** The store keeps an item as long as its provider serves it (at least a second, at most a week). */
function keepMs(createdAt: number, expiresAt: number): number {
  return Math.min(maxKeepMs, Math.max(1_000, expiresAt - createdAt));
}

/** The newest `limit` outputs any replica reserved in a namespace, oldest first. */
export async function recentSharedOutputs(
  store: StateStore,
  namespace: string,
  limit: number,
): Promise<SharedReservation[]> {
  const ids = await store.readIndex(namespace, outputIndexName, Math.min(limit, outputIndexCap));
  const records = await store.getRecords(namespace, ids.map(outputRecordName));
  return records.flatMap((record) =>
    record?.recipe ? [JSON.parse(record.recipe) as SharedReservation] : [],
  );
}
