/**
 * Inputs named by a URL (or a provider's asset path) the simulator does not serve, such as the
 * example URLs in the providers' own documents. By default nothing touches the network: the
 * user's fixture for that name if there is one, else a deterministic stand-in image. `fetch`
 * downloads public https URLs instead; `refuse` leaves the provider's own "cannot download"
 * answer. Every outcome is told in the journal and in the `x-mock-input` answer header.
 */
import { InputFixtures } from "./input-fixtures.ts";
import { publicDownload } from "./public-download.ts";
import { standInImage } from "./stand-in-image.ts";

export const remoteImagesModes = ["stand-in", "fetch", "refuse"] as const;
export type RemoteImagesMode = (typeof remoteImagesModes)[number];

/** The answer header that says what a request's remote input turned into. */
export const inputHeader = "x-mock-input";

/** Downloads one remote image (fetch mode); rejects with a reason a person can act on. */
export type RemoteDownload = (url: string) => Promise<Uint8Array>;

export type RemoteInput =
  | { ok: true; name: string; source: "stand-in" | "fetched"; data: Uint8Array; note: string }
  | { ok: true; name: string; source: "fixture"; file: string; data: Uint8Array; note: string }
  | { ok: false; name: string; source: "refused" | "failed"; note: string };

export interface RemoteInputsOptions {
  mode: RemoteImagesMode;
  fixtures?: InputFixtures;
  /** How `fetch` mode downloads; required for that mode. */
  download?: RemoteDownload;
}

export class RemoteInputs {
  readonly mode: RemoteImagesMode;
  readonly #fixtures: InputFixtures | undefined;
  readonly #download: RemoteDownload | undefined;

  constructor(options: RemoteInputsOptions) {
    if (options.mode === "fetch" && !options.download)
      throw new Error("Remote images in fetch mode need a download function.");
    this.mode = options.mode;
    this.#fixtures = options.fixtures;
    this.#download = options.download;
  }

  /** The image behind `name`; the user's fixtures are consulted first, in every mode. */
  async resolve(name: string): Promise<RemoteInput> {
    const fixture = await this.#fixtures?.find(name);
    if (fixture) {
      return {
        ok: true,
        name,
        source: "fixture",
        file: fixture.file,
        data: fixture.data,
        note: `Input ${name} is not served here: the fixture ${fixture.file} took its place.`,
      };
    }
    if (neverResolves(name)) {
      return {
        ok: false,
        name,
        source: "refused",
        note: `Input ${name} names a host under .invalid, reserved never to resolve (RFC 6761): no provider could download it, so the provider's own error answers.`,
      };
    }
    switch (this.mode) {
      case "stand-in": {
        const image = await standInImage(name);
        return {
          ok: true,
          name,
          source: "stand-in",
          data: image.data,
          note: `Input ${name} is not served here: a stand-in image (${image.width}x${image.height} PNG, the same for the same name) took its place; nothing was downloaded.`,
        };
      }
      case "refuse":
        return {
          ok: false,
          name,
          source: "refused",
          note: `Input ${name} is not served here and remote images are refused; the provider's own error answers.`,
        };
      case "fetch":
        return this.#fetch(name);
    }
  }

  async #fetch(name: string): Promise<RemoteInput> {
    try {
      const data = await this.#download!(name);
      return { ok: true, name, source: "fetched", data, note: `Input ${name} was downloaded.` };
    } catch (error) {
      return {
        ok: false,
        name,
        source: "failed",
        note: `Input ${name} could not be downloaded: ${(error as Error).message}`,
      };
    }
  }
}

/**
 * Whether the name is a URL whose host is under `.invalid`: no provider can ever download it,
 * so no mode pretends to (contracts use such URLs for "cannot be downloaded").
 */
function neverResolves(name: string): boolean {
  if (!URL.canParse(name)) return false;
  const host = new URL(name).hostname.toLowerCase().replace(/\.$/, "");
  return host === "invalid" || host.endsWith(".invalid");
}

/** `x-mock-input`'s value for one outcome: its source and the name, kept to safe header text. */
export function inputHeaderValue(input: RemoteInput): string {
  const url = headerSafe(input.name).slice(0, 300);
  return input.source === "fixture"
    ? `fixture; file=${headerSafe(input.file)}; url=${url}`
    : `${input.source}; url=${url}`;
}

/** Printable ASCII stays; anything else (spaces, controls, non-ASCII) is percent-encoded. */
function headerSafe(text: string): string {
  return text.replace(/[^\x21-\x7e]/gu, (c) =>
    [...Buffer.from(c, "utf8")].map((b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`).join(""),
  );
}

/**
 * One request's remote inputs: URLs the simulator serves are left to the provider, every other
 * outcome is kept for the journal and the answer's header.
 */
export class RequestInputs {
  readonly outcomes: RemoteInput[] = [];
  readonly #inputs: RemoteInputs;
  readonly #isOwn: (url: string) => boolean;

  constructor(inputs: RemoteInputs, isOwn: (url: string) => boolean) {
    this.#inputs = inputs;
    this.#isOwn = isOwn;
  }

  readonly resolve = async (name: string): Promise<RemoteInput | undefined> => {
    if (this.#isOwn(name)) return undefined;
    const outcome = await this.#inputs.resolve(name);
    this.outcomes.push(outcome);
    return outcome;
  };

  /** The journal's notes on this request's inputs. */
  notes(): string[] {
    return this.outcomes.map((outcome) => outcome.note);
  }

  /** The answer, with `x-mock-input` when the request named a remote input. */
  mark<T extends { headers: Record<string, string> }>(answer: T): T {
    if (this.outcomes.length === 0) return answer;
    const value = this.outcomes.map(inputHeaderValue).join(", ");
    return { ...answer, headers: { ...answer.headers, [inputHeader]: value } };
  }
}

/** How long a `fetch` download may take in all (answer and body). */
export const remoteDownloadTimeoutMs = 15_000;

/** The simulator's remote inputs from its options; downloads are held to the upload limit. */
export function remoteInputsFrom(
  options: { remoteImages?: RemoteImagesMode; fixtures?: string },
  maxBytes: number,
): RemoteInputs {
  const { remoteImages: mode = "stand-in", fixtures: fixturesDir } = options;
  return new RemoteInputs({
    mode,
    ...(fixturesDir ? { fixtures: new InputFixtures(fixturesDir) } : {}),
    ...(mode === "fetch"
      ? { download: publicDownload({ maxBytes, timeoutMs: remoteDownloadTimeoutMs }) }
      : {}),
  });
}
