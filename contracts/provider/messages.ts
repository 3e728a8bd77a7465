/**
 * Message providers for the webhook interactions: the payload is what the simulator really
 * sends. A loopback receiver is started, a task is submitted with it as the webhook URL, the task
 * is forced to its final state, and the signed delivery is captured: its body is the message and
 * its signature headers are the metadata.
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import type { MessageProviders } from "@pact-foundation/pact";
import type { ProviderId } from "../../src/index.ts";
import { webhookMessages } from "../consumer/support.ts";
import type { SimulatorTarget } from "./simulator-target.ts";
import { failing } from "./states.ts";

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
}

/** Starts a receiver, runs `trigger` with its URL, and returns the first delivery `wanted` accepts. */
export async function captureWebhook(
  trigger: (url: string) => Promise<void>,
  wanted: (payload: Record<string, unknown>) => boolean,
  timeoutMs = 10_000,
): Promise<Delivery> {
  let found: (delivery: Delivery) => void = () => {};
  const delivered = new Promise<Delivery>((resolve) => {
    found = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.writeHead(204).end();
      const body = Buffer.concat(chunks).toString("utf8");
      try {
        if (wanted(JSON.parse(body) as Record<string, unknown>)) found({ headers: req.headers, body });
      } catch {}
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  let timer: NodeJS.Timeout | undefined;
  try {
    await trigger(url);
    return await Promise.race([
      delivered,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Failed to capture the webhook: nothing arrived within ${timeoutMs} ms.`)),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const pick = (headers: IncomingHttpHeaders, names: string[]) =>
  Object.fromEntries(names.map((name) => [name, String(headers[name] ?? "")]));

const freepikHeaders = ["webhook-id", "webhook-timestamp", "webhook-signature"];
const falHeaders = [
  "x-fal-webhook-request-id",
  "x-fal-webhook-user-id",
  "x-fal-webhook-timestamp",
  "x-fal-webhook-signature",
];

function asMessage(delivery: Delivery, headerNames: string[]) {
  return {
    __pactMessageMetadata: { contentType: "application/json", ...pick(delivery.headers, headerNames) },
    message: JSON.parse(delivery.body) as unknown,
  };
}

export function webhookProviders(
  provider: ProviderId,
  target: SimulatorTarget,
  namespace: () => string,
): MessageProviders {
  const deliver = async (
    providerId: ProviderId,
    finalState: string,
    fail: boolean,
    wanted: (payload: Record<string, unknown>) => boolean,
  ) =>
    captureWebhook(async (url) => {
      const handle = await target.submit(providerId, namespace(), { webhookUrl: url }, fail ? failing : {});
      await target.forceState(namespace(), handle.id, finalState);
    }, wanted);

  if (provider === "freepik")
    return {
      [webhookMessages.freepikCompleted]: async () =>
        asMessage(
          await deliver("freepik", "COMPLETED", false, (p) => p.status === "COMPLETED"),
          freepikHeaders,
        ),
      [webhookMessages.freepikFailed]: async () =>
        asMessage(await deliver("freepik", "FAILED", true, (p) => p.status === "FAILED"), freepikHeaders),
    };
  if (provider === "fal")
    return {
      [webhookMessages.falOk]: async () =>
        asMessage(await deliver("fal", "COMPLETED", false, (p) => p.status === "OK"), falHeaders),
      [webhookMessages.falError]: async () =>
        asMessage(await deliver("fal", "FAILED", true, (p) => p.status === "ERROR"), falHeaders),
    };
  return {};
}
