/**
 * What the proxy says in its own name (not a provider's): refusals of hosts it does not
 * simulate, bad requests, failed tunnels. Plain text that names the host and the fix, written
 * either on a raw socket (a CONNECT answer) or as an ordinary response.
 */
import type { ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

export const passthroughFlag = "--proxy-passthrough";

export interface ProxyAnswer {
  status: number;
  reason: string;
  text: string;
}

/** A host the proxy does not simulate and was not told to let through. */
export function refusal(authority: string, hostname: string, simulated: readonly string[]): ProxyAnswer {
  return {
    status: 403,
    reason: "Forbidden",
    text:
      `upscale-harness proxy: refused ${authority}. It is not a simulated provider host, and nothing ` +
      `leaves this machine unless allowed. To tunnel it untouched, start with ${passthroughFlag} ${hostname} ` +
      `(option proxy.passthrough). Simulated hosts (port 443): ${simulated.join(", ")}.\n`,
  };
}

export function badRequest(text: string): ProxyAnswer {
  return { status: 400, reason: "Bad Request", text: `upscale-harness proxy: ${text}\n` };
}

export function badGateway(authority: string, error: unknown): ProxyAnswer {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return {
    status: 502,
    reason: "Bad Gateway",
    text: `upscale-harness proxy: failed to reach ${authority} (${code}), a host allowed with ${passthroughFlag}.\n`,
  };
}

/** Answers on a raw socket (after CONNECT there is no response object) and closes it. */
export function writeOnSocket(socket: Duplex, answer: ProxyAnswer): void {
  if (socket.destroyed) return;
  const body = Buffer.from(answer.text);
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.reason}\r\ncontent-type: text/plain; charset=utf-8\r\n` +
      `content-length: ${body.length}\r\nconnection: close\r\n\r\n${answer.text}`,
  );
}

export function writeOnResponse(res: ServerResponse, answer: ProxyAnswer): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(answer.text);
  res.writeHead(answer.status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(body.length),
    connection: "close",
  });
  res.end(body);
}
