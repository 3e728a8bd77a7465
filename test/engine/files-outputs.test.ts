import { describe, expect, it, vi } from "vitest";
import { FileStore, type StoredFile } from "../../mocks/engine/files.ts";
import { OutputStore, type RenderedImage } from "../../mocks/engine/outputs.ts";
import { VirtualClock } from "../../src/core/clock.ts";

const file = (id: string, bytes: number, namespace = "ns"): Omit<StoredFile, "id"> & { id: string } => ({
  id,
  namespace,
  provider: "fal",
  contentType: "image/png",
  data: new Uint8Array(bytes),
  createdAt: 0,
  expiresAt: 1_000,
});

describe("FileStore", () => {
  it("stores and returns files, with a fresh url-safe id when none is given", () => {
    const store = new FileStore();
    const { id: _id, ...rest } = file("x", 3);
    const stored = store.put(rest);
    expect(stored.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(store.get(stored.id)).toBe(stored);
    expect(store.get("missing")).toBeUndefined();
    expect(FileStore.newId()).not.toBe(FileStore.newId());
  });

  it("evicts the oldest files when the count cap is crossed", () => {
    const store = new FileStore({ maxFiles: 3 });
    for (const id of ["a", "b", "c", "d", "e"]) store.put(file(id, 1));
    expect(store.list().map((f) => f.id)).toEqual(["c", "d", "e"]);
    expect(store.size).toBe(3);
    expect(store.bytes).toBe(3);
    expect(store.get("a")).toBeUndefined();
  });

  it("evicts the oldest files until the bytes fit", () => {
    const store = new FileStore({ maxBytes: 100 });
    store.put(file("a", 40));
    store.put(file("b", 40));
    store.put(file("c", 10));
    expect(store.bytes).toBe(90);
    store.put(file("d", 50));
    // 140 bytes: dropping "a" is enough (exactly at the cap is allowed).
    expect(store.list().map((f) => f.id)).toEqual(["b", "c", "d"]);
    expect(store.bytes).toBe(100);
    store.put(file("e", 1));
    expect(store.list().map((f) => f.id)).toEqual(["c", "d", "e"]);
    expect(store.bytes).toBe(61);
  });

  it("replacing a file under the same id counts its bytes once", () => {
    const store = new FileStore({ maxBytes: 100 });
    store.put(file("a", 60));
    store.put(file("a", 70));
    expect(store.size).toBe(1);
    expect(store.bytes).toBe(70);
    expect(store.get("a")!.data.byteLength).toBe(70);
  });

  it("delete and clearNamespace keep the byte count right", () => {
    const store = new FileStore();
    store.put(file("a", 5, "one"));
    store.put(file("b", 7, "two"));
    store.put(file("c", 11, "one"));
    store.delete("missing");
    store.clearNamespace("one");
    expect(store.list().map((f) => f.id)).toEqual(["b"]);
    expect(store.bytes).toBe(7);
    store.delete("b");
    expect(store.bytes).toBe(0);
    expect(store.size).toBe(0);
  });
});

describe("OutputStore", () => {
  const image = (n: number): RenderedImage => ({
    data: new Uint8Array([n, n, n]),
    contentType: "image/png",
    width: 4,
    height: 2,
  });

  function deferred() {
    let resolve!: (image: RenderedImage) => void;
    const promise = new Promise<RenderedImage>((r) => {
      resolve = r;
    });
    return { promise, resolve };
  }

  const clock = new VirtualClock({ start: 10_000 });
  const reserveWith = (outputs: OutputStore, produce: () => Promise<RenderedImage>, sourceId?: string) =>
    outputs.reserve({
      namespace: "ns",
      provider: "freepik",
      clock,
      ttlMs: 3_600_000,
      produce,
      ...(sourceId ? { sourceId } : {}),
    });

  it("lazy: nothing renders until the first get; concurrent gets share one render", async () => {
    const files = new FileStore();
    const outputs = new OutputStore(files, "lazy");
    expect(outputs.mode).toBe("lazy");
    const gate = deferred();
    const produce = vi.fn(() => gate.promise);
    const id = reserveWith(outputs, produce, "src-1");
    await Promise.resolve();
    expect(produce).not.toHaveBeenCalled();
    expect(files.size).toBe(0);

    const gets = [outputs.get(id), outputs.get(id), outputs.get(id)];
    expect(produce).toHaveBeenCalledTimes(1);
    gate.resolve(image(7));
    const [a, b, c] = await Promise.all(gets);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a).toEqual({
      id,
      namespace: "ns",
      provider: "freepik",
      contentType: "image/png",
      data: new Uint8Array([7, 7, 7]),
      width: 4,
      height: 2,
      createdAt: 10_000,
      expiresAt: 10_000 + 3_600_000,
      sourceId: "src-1",
    });
    expect(files.get(id)).toBe(a);
    expect(await outputs.get(id)).toBe(a);
    expect(produce).toHaveBeenCalledTimes(1);
  });

  it("eager: rendering starts at reserve, and the file lands in the FileStore", async () => {
    const files = new FileStore();
    const outputs = new OutputStore(files, "eager");
    const produce = vi.fn(async () => image(1));
    const id = reserveWith(outputs, produce);
    expect(produce).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(files.get(id)).toBeDefined());
    expect(await outputs.get(id)).toBe(files.get(id));
    expect(files.get(id)).not.toHaveProperty("sourceId");
    expect(produce).toHaveBeenCalledTimes(1);
  });

  it("expiresAt is known before and after rendering; unknown ids answer undefined", async () => {
    const outputs = new OutputStore(new FileStore(), "lazy");
    const id = reserveWith(outputs, async () => image(2));
    expect(outputs.expiresAt(id)).toBe(10_000 + 3_600_000);
    await outputs.get(id);
    expect(outputs.expiresAt(id)).toBe(10_000 + 3_600_000);
    expect(outputs.expiresAt("nope")).toBeUndefined();
    expect(await outputs.get("nope")).toBeUndefined();
  });

  it("a failed render rejects the get and is not turned into a file", async () => {
    const files = new FileStore();
    const outputs = new OutputStore(files, "lazy");
    const id = reserveWith(outputs, async () => {
      throw new Error("sharp failed");
    });
    await expect(outputs.get(id)).rejects.toThrow("sharp failed");
    expect(files.size).toBe(0);
  });

  it("an eager render that fails does not leak an unhandled rejection", async () => {
    const outputs = new OutputStore(new FileStore(), "eager");
    const id = reserveWith(outputs, async () => {
      throw new Error("eager failure");
    });
    await new Promise((resolve) => setImmediate(resolve));
    await expect(outputs.get(id)).rejects.toThrow("eager failure");
  });

  it("bounds the reservations waiting to render, dropping the oldest", async () => {
    const outputs = new OutputStore(new FileStore(), "lazy", 2);
    const ids = [1, 2, 3].map((n) => reserveWith(outputs, async () => image(n)));
    expect(await outputs.get(ids[0]!)).toBeUndefined();
    expect((await outputs.get(ids[1]!))?.data).toEqual(new Uint8Array([2, 2, 2]));
    expect((await outputs.get(ids[2]!))?.data).toEqual(new Uint8Array([3, 3, 3]));
  });

  it("a rendered file evicted by the FileStore cap is gone", async () => {
    const files = new FileStore({ maxFiles: 1 });
    const outputs = new OutputStore(files, "lazy");
    const a = reserveWith(outputs, async () => image(1));
    const b = reserveWith(outputs, async () => image(2));
    await outputs.get(a);
    await outputs.get(b);
    expect(await outputs.get(a)).toBeUndefined();
    expect(await outputs.get(b)).toBeDefined();
  });
});
