/**
 * A bounded store of the files the simulators serve: result images, uploads (storage hosts,
 * uploaded assets). Oldest files go first when the byte or count cap is reached; expiry is read
 * against the clock of the namespace that created the file.
 */
import { randomBytes } from "node:crypto";

export interface StoredFile {
  id: string;
  namespace: string;
  provider: string;
  contentType: string;
  data: Uint8Array;
  width?: number;
  height?: number;
  createdAt: number;
  /** Epoch ms after which the provider no longer serves it. */
  expiresAt: number;
  /** Where it came from, for the dashboard's before/after view. */
  sourceId?: string;
}

export interface FileStoreLimits {
  maxFiles: number;
  maxBytes: number;
}

/** How files are shared with other replicas (a shared state store), when they are. */
export interface FileReplication {
  /** Shares a file put here (an upload, a stored input) with the other replicas. */
  save(file: StoredFile): void;
  /** A file another replica stored, while the shared store still holds it. */
  load(namespace: string, id: string): Promise<StoredFile | undefined>;
}

export class FileStore {
  /** Set when this simulator is one replica of several. */
  replication: FileReplication | undefined;
  readonly #files = new Map<string, StoredFile>();
  readonly #limits: FileStoreLimits;
  #bytes = 0;

  constructor(limits: Partial<FileStoreLimits> = {}) {
    this.#limits = { maxFiles: limits.maxFiles ?? 2_000, maxBytes: limits.maxBytes ?? 512 * 1024 * 1024 };
  }

  static newId(bytes = 12): string {
    return randomBytes(bytes).toString("base64url");
  }

  /** Stores a file; `local` keeps it to this process (a copy of what is shared, a render). */
  put(file: Omit<StoredFile, "id"> & { id?: string }, options: { local?: boolean } = {}): StoredFile {
    const stored: StoredFile = { ...file, id: file.id ?? FileStore.newId() };
    const previous = this.#files.get(stored.id);
    if (previous) this.#bytes -= previous.data.byteLength;
    this.#files.set(stored.id, stored);
    this.#bytes += stored.data.byteLength;
    this.#evict();
    if (!options.local) this.replication?.save(stored);
    return stored;
  }

  get(id: string): StoredFile | undefined {
    return this.#files.get(id);
  }

  /** The file held here, else one another replica shared (then kept here too). */
  async load(namespace: string, id: string): Promise<StoredFile | undefined> {
    const held = this.#files.get(id);
    if (held || !this.replication) return held;
    const shared = await this.replication.load(namespace, id);
    return shared && this.put(shared, { local: true });
  }

  delete(id: string): void {
    const file = this.#files.get(id);
    if (!file) return;
    this.#files.delete(id);
    this.#bytes -= file.data.byteLength;
  }

  clearNamespace(namespace: string): void {
    for (const file of [...this.#files.values()]) if (file.namespace === namespace) this.delete(file.id);
  }

  /** Every file, oldest first. */
  list(): StoredFile[] {
    return [...this.#files.values()];
  }

  get size(): number {
    return this.#files.size;
  }

  get bytes(): number {
    return this.#bytes;
  }

  #evict(): void {
    while (this.#files.size > this.#limits.maxFiles || this.#bytes > this.#limits.maxBytes) {
      const oldest = this.#files.keys().next().value as string | undefined;
      if (oldest === undefined) return;
      this.delete(oldest);
    }
  }
}
