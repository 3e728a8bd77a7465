/**
 * Result images whose URLs are handed out before the image exists. A provider reserves an id
 * with the work that produces it; `--images eager` starts that work at once, `lazy` on the first
 * fetch. Either way the finished bytes land in the FileStore, so repeated fetches are cheap.
 * Among replicas, a reservation made with a recipe (its stored input and upscale parameters) is
 * shared, and any replica asked for it renders it from the input and keeps the result locally.
 */
import type { Clock } from "../../src/core/clock.ts";
import { FileStore, type StoredFile } from "./files.ts";
import type { UpscaleParams } from "./images.ts";
import type { ImagesMode } from "./provider.ts";

export interface RenderedImage {
  data: Uint8Array;
  contentType: string;
  width?: number;
  height?: number;
}

/** What another replica needs to render a reserved output itself. */
export interface SharedReservation {
  id: string;
  namespace: string;
  provider: string;
  createdAt: number;
  expiresAt: number;
  /** The stored input (a FileStore id, shared too). */
  sourceId: string;
  recipe: UpscaleParams;
}

/** How reservations are shared with other replicas (a shared state store), when they are. */
export interface OutputReplication {
  save(reservation: SharedReservation): void;
  load(namespace: string, id: string): Promise<SharedReservation | undefined>;
}

export type Renderer = (input: Uint8Array, recipe: UpscaleParams) => Promise<RenderedImage>;

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
  /** Set when this simulator is one replica of several, with how it renders a shared recipe. */
  replication: (OutputReplication & { render: Renderer }) | undefined;

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
    /** How the output is made from `sourceId`, so another replica can render it too. */
    recipe?: UpscaleParams;
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
    if (options.sourceId && options.recipe)
      this.replication?.save({
        id,
        namespace: options.namespace,
        provider: options.provider,
        createdAt: reservation.createdAt,
        expiresAt: reservation.expiresAt,
        sourceId: options.sourceId,
        recipe: options.recipe,
      });
    this.#hold(reservation);
    if (this.#mode === "eager") void this.#start(reservation).catch(() => {});
    return id;
  }

  #hold(reservation: Reservation): void {
    this.#pending.set(reservation.id, reservation);
    if (this.#pending.size > this.#maxPending) {
      const oldest = this.#pending.keys().next().value as string;
      this.#pending.delete(oldest);
    }
  }

  /**
   * The finished file, rendering it first if needed; `undefined` for an unknown id. With
   * `namespace`, also one another replica stored or reserved in it.
   */
  async get(id: string, namespace?: string): Promise<StoredFile | undefined> {
    const stored = this.#files.get(id);
    if (stored) return stored;
    const reservation =
      this.#pending.get(id) ?? (namespace === undefined ? undefined : await this.#adopt(namespace, id));
    if (!reservation) return namespace === undefined ? undefined : this.#files.load(namespace, id);
    return this.#start(reservation);
  }

  /** When a known id (here, or shared by another replica in `namespace`) expires. */
  async lookup(id: string, namespace: string): Promise<number | undefined> {
    const here = this.expiresAt(id);
    if (here !== undefined || !this.replication) return here;
    const file = await this.#files.load(namespace, id);
    return file?.expiresAt ?? (await this.#adopt(namespace, id))?.expiresAt;
  }

  /** Takes over a reservation another replica shared, rendering from its stored input. */
  async #adopt(namespace: string, id: string): Promise<Reservation | undefined> {
    const replication = this.replication;
    const shared = await replication?.load(namespace, id);
    if (!replication || !shared) return undefined;
    const reservation: Reservation = {
      id,
      namespace,
      provider: shared.provider,
      createdAt: shared.createdAt,
      expiresAt: shared.expiresAt,
      sourceId: shared.sourceId,
      produce: async () => {
        const input = await this.#files.load(namespace, shared.sourceId);
        if (!input) throw new Error("The input image is no longer in the shared store.");
        return replication.render(input.data, shared.recipe);
      },
    };
    this.#hold(reservation);
    return reservation;
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
      const stored = this.#files.put(
        {
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
        },
        // Rendered again from its recipe wherever it is asked for, not copied between replicas.
        { local: true },
      );
      this.#pending.delete(reservation.id);
      return stored;
    });
    return reservation.started;
  }
}
