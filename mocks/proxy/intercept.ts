/**
 * Interception of a CONNECT to a simulated host: the proxy answers the CONNECT, speaks TLS as
 * that host under a leaf certificate from the local CA, and hands the decrypted stream to its
 * own HTTP server as one more connection.
 */
import type { Server } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { TLSSocket } from "node:tls";
import { bare } from "./addresses.ts";
import { badRequest, writeOnSocket } from "./answers.ts";
import type { SimulatedHost } from "./hosts.ts";
import type { LeafCertificates } from "./leaf-certs.ts";

/** Which simulated host a decrypted tunnel reaches, for which namespace. */
export interface Tunnel {
  target: SimulatedHost;
  namespace: string | undefined;
}

/** What interception needs from the proxy. */
export interface InterceptDeps {
  server: Server;
  leaves: LeafCertificates;
  /** Until a tunnel's TLS handshake completes; then it is closed. */
  handshakeMs: number;
  /** Decrypted tunnels, by their TLS socket, so the request handler knows where each goes. */
  intercepted: WeakMap<object, Tunnel>;
}

const connectionEstablished = "HTTP/1.1 200 Connection Established\r\n\r\n";

/** Answers the CONNECT, then speaks TLS as `hostname` and hands the clear stream to the server. */
export async function intercept(
  deps: InterceptDeps,
  socket: Duplex,
  head: Buffer,
  hostname: string,
  tunnel: Tunnel,
): Promise<void> {
  let context: Awaited<ReturnType<LeafCertificates["contextFor"]>>;
  try {
    context = await deps.leaves.contextFor(hostname);
  } catch (error) {
    writeOnSocket(socket, badRequest(`no certificate for ${hostname}: ${(error as Error).message}`));
    return;
  }
  if (socket.destroyed) return;
  socket.write(connectionEstablished);
  if (head.length > 0) socket.unshift(head);
  const tls = new TLSSocket(socket as Socket, {
    isServer: true,
    secureContext: context,
    ALPNProtocols: ["http/1.1"],
    // A hello naming another host than the CONNECT did is refused: one tunnel, one host.
    SNICallback: (servername, done) =>
      bare(servername.toLowerCase()) === hostname
        ? done(null, context)
        : done(new Error(`SNI ${servername} does not match the CONNECT target ${hostname}`)),
  });
  deps.intercepted.set(tls, tunnel);
  handOverWhenSecure(deps, socket, tls);
}

/** Bounds the handshake, then gives the secured stream to the server. */
function handOverWhenSecure(deps: InterceptDeps, socket: Duplex, tls: TLSSocket): void {
  const handshake = setTimeout(() => tls.destroy(), deps.handshakeMs);
  handshake.unref();
  tls.once("close", () => {
    clearTimeout(handshake);
    socket.destroy();
  });
  tls.on("error", () => tls.destroy());
  // Handed to the server once secure, so its header timeout counts from the first request
  // byte, not from a handshake that has its own limit.
  tls.once("secure", () => {
    clearTimeout(handshake);
    deps.server.emit("connection", tls);
  });
}
