/**
 * The download guard the client reads remote inputs with (and the simulators' `fetch` mode):
 * a size limit counted while the body streams, a limit on the whole download's time, and
 * messages that say why. Against a loopback server of the test's own.
 */
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DownloadError, downloadBounded } from "../../src/core/bounded-download.ts";

let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/small") return res.end(Buffer.alloc(100, 1));
    if (req.url === "/declared-big") {
      res.writeHead(200, { "content-length": "5000" });
      return res.end(Buffer.alloc(5000, 1));
    }
    if (req.url === "/streamed-big") {
      // No content-length: the limit must hold while the body streams.
      res.writeHead(200, { "content-type": "image/png" });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || sent > 100_000) {
          clearInterval(timer);
          return res.end();
        }
        sent += 1000;
        res.write(Buffer.alloc(1000, 2));
      }, 1);
      return;
    }
    if (req.url === "/slow") {
      res.writeHead(200);
      res.write("x");
      return; // never ends
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { maxBytes: 1000, timeoutMs: 2000 };
const failure = (path: string, over: Partial<typeof limits> = {}) =>
  downloadBounded(`${base}${path}`, fetch, { ...limits, ...over }).then(
    () => expect.unreachable(`${path} downloaded`),
    (error: unknown) => error as Error,
  );

describe("downloadBounded", () => {
  it("reads a body within the limits", async () => {
    const { bytes } = await downloadBounded(`${base}/small`, fetch, limits);
    expect(bytes.byteLength).toBe(100);
  });

  it("refuses a body declared over the limit before reading it", async () => {
    const error = await failure("/declared-big");
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toBe("it is 5000 bytes, over the limit of 1000");
  });

  it("cuts off a streamed body as soon as it passes the limit", async () => {
    const error = await failure("/streamed-big");
    expect(error.message).toBe("it sent more than the limit of 1000 bytes");
  });

  it("gives up on a download that does not finish in time", async () => {
    const started = Date.now();
    const error = await failure("/slow", { timeoutMs: 200 });
    expect(error.message).toBe("no complete answer within 200 ms");
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it("says what the server answered, and why a connection failed", async () => {
    expect((await failure("/missing")).message).toBe("it answered 404");
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await downloadBounded(`http://127.0.0.1:${port}/x.png`, fetch, limits).catch(
      (e: Error) => e,
    );
    expect(refused).toBeInstanceOf(DownloadError);
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);
  });

  it("lets the caller's own abort through as it is", async () => {
    const controller = new AbortController();
    const reason = new Error("stopped by the caller");
    const pending = downloadBounded(`${base}/slow`, fetch, { ...limits, signal: controller.signal });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
