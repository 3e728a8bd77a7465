/** Raw proxy conversations for the proxy's tests: CONNECT lines, tunnels and TLS by hand. */
import { connect, type Socket } from "node:net";
import { type TLSSocket, connect as tlsConnect } from "node:tls";

export function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** Opens a TCP connection to the proxy. */
export function dial(proxyUrl: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(proxyUrl), "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

/** Everything the proxy sends until it closes the connection (or `timeoutMs` passes: then "timeout"). */
export function readToEnd(socket: Socket, timeoutMs = 5_000): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => (text += chunk.toString("latin1")));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, closed: false });
    }, timeoutMs);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve({ text, closed: true });
    });
    socket.on("error", () => {});
    socket.resume();
  });
}

/** Sends a CONNECT and reads the proxy's answer head; the socket stays open after a 200. */
export async function sendConnect(
  proxyUrl: string,
  authority: string,
): Promise<{ socket: Socket; status: number; head: string }> {
  const socket = await dial(proxyUrl);
  socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`);
  const head = await new Promise<string>((resolve, reject) => {
    let text = "";
    const onData = (chunk: Buffer) => {
      text += chunk.toString("latin1");
      if (text.includes("\r\n\r\n")) {
        socket.off("data", onData);
        const end = text.indexOf("\r\n\r\n") + 4;
        if (end < text.length) {
          // Kept for the next reader, which resumes the socket.
          socket.pause();
          socket.unshift(Buffer.from(text.slice(end), "latin1"));
        }
        resolve(text.slice(0, end));
      }
    };
    socket.on("data", onData);
    socket.once("close", () => resolve(text));
    socket.once("error", reject);
  });
  return { socket, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head };
}

/** CONNECT, then TLS as `servername` trusting only `ca`; rejects when the handshake fails. */
export async function openTunnel(
  proxyUrl: string,
  host: string,
  ca: string,
  servername = host,
): Promise<TLSSocket> {
  const { socket, status } = await sendConnect(proxyUrl, `${host}:443`);
  if (status !== 200) throw new Error(`CONNECT ${host} answered ${status}`);
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, servername, ca, ALPNProtocols: ["http/1.1"] }, () => resolve(tls));
    tls.once("error", reject);
  });
}
