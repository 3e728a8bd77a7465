/**
 * The user's own images for remote inputs (`--fixtures <dir>`). A name (an input URL, or a
 * provider's asset path) maps to a file of the directory by, in order:
 *  1. `fixtures.json` in the directory, an object from names to file names:
 *     `{ "https://cdn.example.invalid/files/monkey.png": "monkey.png" }`; a key
 *     matches the name as sent, or without its query and fragment;
 *  2. the last segment of the name's path, when a file of the directory has exactly that name
 *     (`…/low_res_photo.png` → `<dir>/low_res_photo.png`).
 * Only files directly inside the directory are ever read. Files are read on each use, so a
 * fixture can be replaced while the simulator runs.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, join, resolve } from "node:path";

export const manifestName = "fixtures.json";

export interface Fixture {
  /** The file's name inside the fixtures directory. */
  file: string;
  data: Uint8Array;
}

export class InputFixtures {
  readonly dir: string;
  readonly #manifest: ReadonlyMap<string, string>;

  /** Reads the directory's manifest; throws a message naming what to fix when it is unusable. */
  constructor(dir: string) {
    this.dir = resolve(dir);
    let isDir = false;
    try {
      isDir = statSync(this.dir).isDirectory();
    } catch {}
    if (!isDir)
      throw new Error(
        `Failed to read the fixtures directory ${this.dir}: it is not a directory. Pass one that holds your input images.`,
      );
    this.#manifest = readManifest(this.dir);
  }

  async find(name: string): Promise<Fixture | undefined> {
    const file = this.#manifest.get(name) ?? this.#manifest.get(withoutQuery(name)) ?? lastSegment(name);
    if (!file || !this.#holds(file)) return undefined;
    try {
      return { file, data: new Uint8Array(await readFile(join(this.dir, file))) };
    } catch {
      return undefined;
    }
  }

  /** Whether `file` is a plain file directly inside the directory (no path tricks). */
  #holds(file: string): boolean {
    if (file !== basename(file) || file === "." || file === ".." || file === manifestName) return false;
    return readdirSync(this.dir, { withFileTypes: true }).some(
      (entry) => entry.isFile() && entry.name === file,
    );
  }
}

function readManifest(dir: string): Map<string, string> {
  const path = join(dir, manifestName);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return new Map();
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`Failed to read ${path}: ${(error as Error).message}. Fix the JSON.`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new Error(`Failed to read ${path}: it must be an object from input URLs to file names.`);
  const entries = Object.entries(value);
  for (const [key, file] of entries) {
    if (typeof file !== "string" || file !== basename(file))
      throw new Error(
        `Failed to read ${path}: the entry for "${key}" must be the name of a file in ${dir} (no folders).`,
      );
    if (!existsSync(join(dir, file)))
      throw new Error(
        `Failed to read ${path}: the entry for "${key}" names ${file}, which is not in ${dir}.`,
      );
  }
  return new Map(entries as [string, string][]);
}

function withoutQuery(name: string): string {
  return name.replace(/[?#].*$/s, "");
}

/** The last segment of the name's path, percent-decoded (`undefined` when there is none). */
function lastSegment(name: string): string | undefined {
  const segment = withoutQuery(name).split("/").pop();
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
