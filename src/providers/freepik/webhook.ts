/**
 * Freepik's webhook signature (docs/providers.md "freepik"): `webhook-signature` holds
 * space-separated `v1,<base64>` entries (several during a secret rotation), each an HMAC-SHA256
 * of `id.timestamp.rawBody` keyed with the secret's UTF-8 bytes.
 */
import { createHmac } from "node:crypto";
import {
  bodyBytes,
  checkTimestamp,
  equalBytes,
  fail,
  header,
  type WebhookScheme,
} from "../../core/webhooks.ts";
import { taskStatus } from "./adapter.ts";
import { TaskRead } from "./reader.ts";

export const freepikWebhook: WebhookScheme = {
  verify(options) {
    const id = header(options.headers, "webhook-id");
    const signature = header(options.headers, "webhook-signature");
    if (!id || !signature)
      fail(
        "freepik",
        "missing-header",
        "webhook-id or webhook-signature is missing",
        "Pass the request's headers as received.",
      );
    if (!options.secret)
      fail("freepik", "no-key", "no secret was given", "Pass the webhook secret from Freepik's dashboard.");
    const timestamp = checkTimestamp("freepik", header(options.headers, "webhook-timestamp"), options);
    const expected = createHmac("sha256", Buffer.from(options.secret, "utf8"))
      .update(Buffer.from(`${id}.${timestamp}.`, "utf8"))
      .update(bodyBytes(options.rawBody))
      .digest();
    const matches = signature
      .split(" ")
      .filter((entry) => entry.startsWith("v1,"))
      .some((entry) => equalBytes(Buffer.from(entry.slice(3), "base64"), expected));
    if (!matches)
      fail(
        "freepik",
        "bad-signature",
        "no v1 signature matches",
        "Check the secret and that the body is the raw bytes received.",
      );
    return { id, timestamp };
  },
  status: (payload) => ({ ...taskStatus(TaskRead.parse(payload)), raw: payload }),
};
