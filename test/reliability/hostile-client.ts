/**
 * A deliberately rude HTTP client for the hostile-input tests: raw sockets (so nothing is fixed
 * up on the way), bodies streamed in chunks, headers and bodies trickled byte by byte. Every
 * call is bounded in time.
 */
import { connect, type Socket } from "node:net";

export interface Streamed {
  /** The status line and body of the answer (empty when none came). */
  status: number;
  body: string;
  /** Bytes of body the client had written when the answer's first byte arrived (-1: no answer). */
  sentAtAnswer: number;
  /** Bytes of body written when the connection closed (or the client stopped). */
  sentAtClose: number;
  /** Whether the server closed the connection before the client had sent everything. */
  closedEarly: boolean;
  ms: number;
}

function parseAnswer(raw: string): { status: number; body: string } {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0);
  const at = raw.indexOf("\r\n\r\n");
  let body = at < 0 ? "" : raw.slice(at + 4);
  if (/transfer-encoding: chunked/i.test(raw.slice(0, at))) {
    // De-chunk a small answer.
    let out = "";
    for (let rest = body; rest.length > 0; ) {
      const nl = rest.indexOf("\r\n");
      const size = Number.parseInt(rest.slice(0, nl), 16);
      if (!size) break;
      out += rest.slice(nl + 2, nl + 2 + size);
      rest = rest.slice(nl + 2 + size + 2);
    }
    body = out;
  }
  return { status, body };
}

/**
 * Sends `head` (request line and headers, without the blank line) and then `total` bytes of
 * body in 64 KiB chunks (chunked transfer encoding unless `contentLength` is given), respecting
 * backpressure, until everything is sent or the server closes the connection.
 */
export async function streamBody(
  port: number,
  head: string,
  total: number,
  options: { contentLength?: number; fill?: number; timeoutMs?: number } = {},
): Promise<Streamed> {
  const started = performance.now();
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let sent = 0;
  let sentAtAnswer = -1;
  let raw = "";
  let closed = false;
  socket.on("data", (data: Buffer) => {
    if (sentAtAnswer < 0) sentAtAnswer = sent;
    raw += data.toString("latin1");
  });
  socket.on("error", () => {});
  const closing = new Promise<void>((resolve) =>
    socket.once("close", () => {
      closed = true;
      resolve();
    }),
  );
  const chunked = options.contentLength === undefined;
  socket.write(
    `${head}\r\n${chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${options.contentLength}`}\r\n\r\n`,
  );
  const chunk = Buffer.alloc(64 * 1024, options.fill ?? 0x41);
  const frame = chunked
    ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])
    : chunk;
  let drained: (() => void) | undefined;
  socket.on("drain", () => drained?.());
  socket.once("close", () => drained?.());
  while (sent < total && !closed && !socket.destroyed) {
    const flowing = socket.write(frame);
    sent += chunk.length;
    if (!flowing) await new Promise<void>((resolve) => (drained = resolve));
  }
  const sentAtClose = sent;
  const closedEarly = sent < total || (closed && sentAtAnswer >= 0 && sentAtAnswer < total);
  if (!socket.destroyed && chunked) socket.write("0\r\n\r\n");
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, options.timeoutMs ?? 5_000).unref());
  await Promise.race([closing, timeout]);
  socket.destroy();
  return { ...parseAnswer(raw), sentAtAnswer, sentAtClose, closedEarly, ms: performance.now() - started };
}

export interface Trickled {
  status: number;
  body: string;
  /** ms from connecting until the server closed the connection (Infinity: it never did). */
  closedAfterMs: number;
  /** Bytes the client managed to send. */
  sent: number;
}

/** A loopback connection that collects what the server sends and notes when it closed. */
interface Connection {
  socket: Socket;
  /** Everything received so far, as latin1 (one char per byte). */
  raw: string;
  /** ms from connecting until the server closed the connection (Infinity: not yet). */
  closedAt: number;
  closed: Promise<void>;
}

async function open(port: number): Promise<Connection> {
  const started = performance.now();
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve) => socket.once("connect", resolve));
  const connection: Connection = {
    socket,
    raw: "",
    closedAt: Number.POSITIVE_INFINITY,
    closed: Promise.resolve(),
  };
  socket.on("data", (data: Buffer) => {
    connection.raw += data.toString("latin1");
  });
  socket.on("error", () => {});
  connection.closed = new Promise<void>((resolve) =>
    socket.once("close", () => {
      connection.closedAt = performance.now() - started;
      resolve();
    }),
  );
  return connection;
}

/**
 * Sends `prefix` at once, then `text` one slice at a time every `everyMs` (a slowloris client),
 * then waits; reports when the server answered and closed. Gives up after `maxMs`.
 */
export async function trickle(
  port: number,
  text: string,
  options: { everyMs: number; bytesPerStep?: number; maxMs: number; prefix?: string },
): Promise<Trickled> {
  const connection = await open(port);
  const { socket } = connection;
  if (options.prefix) socket.write(options.prefix);
  let sent = 0;
  const step = options.bytesPerStep ?? 1;
  const sending = (async () => {
    while (sent < text.length && connection.closedAt === Number.POSITIVE_INFINITY) {
      socket.write(text.slice(sent, sent + step));
      sent += step;
      await new Promise((resolve) => setTimeout(resolve, options.everyMs));
    }
  })();
  await Promise.race([connection.closed, new Promise((resolve) => setTimeout(resolve, options.maxMs))]);
  socket.destroy();
  await sending;
  return {
    ...parseAnswer(connection.raw),
    closedAfterMs: connection.closedAt,
    sent: Math.min(sent, text.length),
  };
}

/** Sends raw bytes at once and returns the answer (bounded). */
export async function rawExchange(
  port: number,
  bytes: string | Buffer,
  timeoutMs = 3_000,
): Promise<Trickled> {
  const connection = await open(port);
  connection.socket.write(bytes);
  await Promise.race([connection.closed, new Promise((resolve) => setTimeout(resolve, timeoutMs))]);
  connection.socket.destroy();
  return { ...parseAnswer(connection.raw), closedAfterMs: connection.closedAt, sent: bytes.length };
}
