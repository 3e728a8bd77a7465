/**
 * Result images whose URLs are handed out before the image exists. A provider reserves an id
 * with the work that produces it; `--images eager` starts that work at once, `lazy` on the first
 * fetch. Either way the finished bytes land in the FileStore, so repeated fetches are cheap.
 */
import type { Clock } from "../../src/core/clock.ts";
import { FileStore, type StoredFile } from "./files.ts";
import type { ImagesMode } from "./provider.ts";

export interface RenderedImage {
  data: Uint8Array;
  contentType: string;
  width?: number;
  height?: number;
}

interface Reservation {
  id: string;
  namespace: string;
  provider: string;
  createdAt: number;
  expiresAt: number;
  sourceId?: string;
  produce: () => Promise<RenderedImage>;
  started?: Promise<StoredFile>;
}

export class OutputStore {
  readonly #pending = new Map<string, Reservation>();
  readonly #files: FileStore;
  readonly #mode: ImagesMode;
  readonly #maxPending: number;

  constructor(files: FileStore, mode: ImagesMode, maxPending = 5_000) {
    this.#files = files;
    this.#mode = mode;
    this.#maxPending = maxPending;
  }

  get mode(): ImagesMode {
    return this.#mode;
  }

  reserve(options: {
    namespace: string;
    provider: string;
    clock: Clock;
    ttlMs: number;
    sourceId?: string;
    produce: () => Promise<RenderedImage>;
  }): string {
    const id = FileStore.newId();
    const reservation: Reservation = {
      id,
      namespace: options.namespace,
      provider: options.provider,
      createdAt: options.clock.now(),
      expiresAt: options.clock.now() + options.ttlMs,
      produce: options.produce,
      ...(options.sourceId ? { sourceId: options.sourceId } : {}),
    };
    this.#pending.set(id, reservation);
    if (this.#pending.size > this.#maxPending) {
      const oldest = this.#pending.keys().next().value as string;
      this.#pending.delete(oldest);
    }
    if (this.#mode === "eager") void this.#start(reservation).catch(() => {});
    return id;
  }

  /** The finished file, rendering it first if needed; `undefined` for an unknown id. */
  async get(id: string): Promise<StoredFile | undefined> {
    const stored = this.#files.get(id);
    if (stored) return stored;
    const reservation = this.#pending.get(id);
    if (!reservation) return undefined;
    return this.#start(reservation);
  }

  /** Forgets a namespace's pending renders (its finished files go with the FileStore's reset). */
  clearNamespace(namespace: string): void {
    for (const [id, reservation] of this.#pending)
      if (reservation.namespace === namespace) this.#pending.delete(id);
  }

  /** Expiry of a known id without rendering it. */
  expiresAt(id: string): number | undefined {
    return this.#files.get(id)?.expiresAt ?? this.#pending.get(id)?.expiresAt;
  }

  #start(reservation: Reservation): Promise<StoredFile> {
    reservation.started ??= reservation.produce().then((image) => {
      const stored = this.#files.put({
        id: reservation.id,
        namespace: reservation.namespace,
        provider: reservation.provider,
        contentType: image.contentType,
        data: image.data,
        createdAt: reservation.createdAt,
        expiresAt: reservation.expiresAt,
        ...(image.width !== undefined ? { width: image.width } : {}),
        ...(image.height !== undefined ? { height: image.height } : {}),
        ...(reservation.sourceId ? { sourceId: reservation.sourceId } : {}),
      });
      this.#pending.delete(reservation.id);
      return stored;
    });
    return reservation.started;
  }
}
