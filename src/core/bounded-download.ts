/**
 * Downloading an image someone named by URL, within limits: the whole download (answer and
 * body) must finish within `timeoutMs`, and the body is counted as it streams and cut off past
 * `maxBytes`, so a huge or endless answer is never buffered. No credentials are sent. The
 * client reads remote inputs with it; the simulators' opt-in downloads (`--remote-images
 * fetch`) use it too, behind their public-address check.
 */
import { attemptTimer, linkSignals } from "./signals.ts";
import type { SendRequest } from "./types.ts";

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal | undefined;
}

export interface Downloaded {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string | undefined;
}

/** A download that did not yield a body: its message says why, for a person to act on. */
export class DownloadError extends Error {
  override name = "DownloadError";
}

export async function downloadBounded(
  url: string,
  fetch: SendRequest,
  limits: DownloadLimits,
  init: RequestInit = {},
): Promise<Downloaded> {
  const linked = linkSignals(limits.signal);
  const stop = attemptTimer(limits.timeoutMs, () =>
    linked.abort(new DownloadError(`no complete answer within ${limits.timeoutMs} ms`)),
  );
  try {
    const response = await fetch(url, { ...init, signal: linked.signal });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new DownloadError(`it answered ${response.status}`);
    }
    const declared = Number(response.headers.get("content-length"));
    if (declared > limits.maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new DownloadError(`it is ${declared} bytes, over the limit of ${limits.maxBytes}`);
    }
    const bytes = await readAtMost(response, limits.maxBytes);
    return { bytes, contentType: response.headers.get("content-type") ?? undefined };
  } catch (error) {
    // The caller's own abort goes through as it is; our timeout says what happened.
    if (limits.signal?.aborted) throw limits.signal.reason;
    if (linked.signal.aborted && linked.signal.reason instanceof DownloadError) throw linked.signal.reason;
    if (error instanceof DownloadError) throw error;
    throw new DownloadError(describeFailure(error));
  } finally {
    stop();
    linked.dispose();
  }
}

async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new DownloadError(`it sent more than the limit of ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** fetch's "fetch failed" hides the reason in `cause` (DNS, refused, TLS…): bring it out. */
function describeFailure(error: unknown): string {
  const err = error as { message?: string; cause?: { message?: string; code?: string } };
  return err.cause?.message || err.cause?.code || err.message || String(error);
}
