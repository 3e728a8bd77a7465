/**
 * What every consumer pact shares: the pact factory (consumer "upscale-harness", one file per
 * provider), the unified client pointed at Pact's mock server, fixed inputs and ids (so a fresh
 * run writes byte-identical pacts), the provider-state names the verification maps onto the
 * simulators, and a multipart body builder whose matching rules pin neither bytes nor boundary.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { MatchersV3, PactV4, type Rules, type V3MockServer } from "@pact-foundation/pact";
import { VirtualClock } from "../../src/core/clock.ts";
import {
  createUpscaler,
  type OperationHandle,
  type ProviderId,
  type Upscaler,
  type UpscalerConfig,
} from "../../src/index.ts";

export const consumer = "upscale-harness";

/** Where pacts are written: contracts/pacts, or PACT_DIR (the freshness test writes to a temp dir). */
export const pactDir = process.env.PACT_DIR
  ? resolve(process.env.PACT_DIR)
  : fileURLToPath(new URL("../pacts/", import.meta.url));

export function pactFor(provider: ProviderId): PactV4 {
  return new PactV4({ consumer, provider, dir: pactDir, logLevel: "error" });
}

/** An 8×6 PNG: a real image, so the simulators can upscale what the pact sends. */
export const inputPngBase64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAgAAAAGCAIAAABxZ0isAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAgUlEQVQImRXLzQkCMRCA0U/3x3VZVGQFBZGAx2kiTcw9pUwnuU8TqWLOaUV89weQIEMBgwoNOoCQ5JDlWGQwGatMTeYuJ1CSHrOORWfTperadOt6+f9kQ7a52Nlsq3Ztdu/2ACf5mH0pvpnfqu/Nn93fEKSYcqwlrhZ7jVeLT4/vD6/8Kos+ABAEAAAAAElFTkSuQmCC";
export const inputPng = new Uint8Array(Buffer.from(inputPngBase64, "base64"));
export const inputDataUri = `data:image/png;base64,${inputPngBase64}`;

/** Example keys: recorded in the pacts, replaced by the real key when verifying a real provider. */
export const exampleKeys: Record<ProviderId, string> = {
  ideogram: "ideogram-example-key",
  chainhub: "chainhub-example-key",
  fal: "fal-example-key-id:fal-example-secret",
  onemin: "onemin-example-key",
  freepik: "freepik-example-key",
};

/** The request headers that carry each provider's credentials, as matchers. */
export const authHeaders: Record<ProviderId, Record<string, MatchersV3.Matcher<string> | string>> = {
  ideogram: { "Api-Key": MatchersV3.regex("^\\S+$", exampleKeys.ideogram) },
  chainhub: {
    Authorization: MatchersV3.regex("^Bearer \\S+$", `Bearer ${exampleKeys.chainhub}`),
    Accept: "application/json",
  },
  fal: { Authorization: MatchersV3.regex("^Key \\S+$", `Key ${exampleKeys.fal}`) },
  onemin: { "API-KEY": MatchersV3.regex("^\\S+$", exampleKeys.onemin) },
  freepik: { "x-freepik-api-key": MatchersV3.regex("^\\S+$", exampleKeys.freepik) },
};

/** Fixed ids: examples in the pacts; the verification injects the simulator's ids (fromProviderState). */
export const exampleIds = {
  chainhubTask: "7c5e0e76-535d-4683-9f03-1720e09d7f99",
  falRequest: "892a8d61-dd2c-4f98-90b2-9993799f3034",
  freepikTask: "3ae13555-b029-4cc4-a55d-f9df425db31a",
  oneminRecord: "37181f6b-37ea-41af-a9d3-bce15316871d",
  oneminAsset: "e827b5f2-e942-408e-a865-4d0e475137a3",
};

/**
 * Provider states. Each is mapped onto the simulators by contracts/provider/states.ts; only
 * `ready` can hold on a real provider (a valid key), so it is the one state a real-provider run
 * keeps.
 */
export const states = {
  ready: "the API key is valid",
  badKey: "the API key is not valid",
  noCredit: "the account is out of credit",
  rateLimited: "the rate limit is reached",
  outage: "the provider is down",
  unsafe: "the content checker flags the image",
  task: (state: string) => `task T is ${state}`,
  request: (state: string) => `request R is ${state}`,
  queued: "request R is IN_QUEUE at position 2",
  contentPolicy: "request R is COMPLETED with a content policy violation",
  assetUploaded: "asset A is uploaded",
} as const;

/**
 * fetch that lets Pact's mock server record the match before the test goes on. The mock server
 * can answer before it has recorded the request, so a test that ends right after its last
 * response is sometimes told that request was "expected but not received"
 * (pact-foundation/pact-reference#535, pact-foundation/pact-js#1835). A short pause closes the gap.
 */
export async function settledFetch(input: Request | string, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  await new Promise((resolve) => setTimeout(resolve, 25));
  return response;
}

/** The unified client, every host of the provider on Pact's mock server, no retries, virtual time. */
export function upscalerFor(
  provider: ProviderId,
  mockServer: V3MockServer,
  config: Partial<UpscalerConfig> = {},
): Upscaler {
  const base = mockServer.url;
  return createUpscaler({
    provider,
    apiKeys: { [provider]: exampleKeys[provider] },
    // fal: one prefix, with its hosts by name below it (/run, /queue, /rest, /media), as the
    // standalone simulator serves them; the other providers' API host at the root.
    baseUrls: { [provider]: base },
    clock: new VirtualClock({ autoAdvance: true }),
    retry: { maxAttempts: 1 },
    circuitBreaker: false,
    env: {},
    fetch: (request) => settledFetch(request),
    ...config,
  });
}

/** A file part (`fileName` and `contentType` given) or a plain text field (neither given). */
export type MultipartPart =
  | { name: string; fileName: string; contentType: string; data: Uint8Array | string }
  | { name: string; data: string };

/** A fixed boundary, so the pact's example body is stable; matching never depends on it. */
export const boundary = "upscale-harness-pact-boundary";

export function multipartBody(parts: MultipartPart[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const headers =
      "fileName" in part
        ? `Content-Disposition: form-data; name="${part.name}"; filename="${part.fileName}"\r\nContent-Type: ${part.contentType}`
        : `Content-Disposition: form-data; name="${part.name}"`;
    chunks.push(
      Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`),
      Buffer.from(part.data),
      Buffer.from("\r\n"),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

/** The request's content type: any boundary matches. */
export const multipartContentType = MatchersV3.regex(
  "^multipart/form-data;\\s*boundary=.+$",
  `multipart/form-data; boundary=${boundary}`,
);

/** Matching rules for a multipart body: each part by content type (file parts) or by these rules. */
export function multipartRules(
  fileParts: Record<string, string>,
  more: Array<{ path: string; rules: MatchersV3.Matcher<unknown>[] }> = [],
): Rules {
  return {
    body: [
      ...Object.entries(fileParts).map(([name, type]) => ({
        path: `$.${name}`,
        rules: [MatchersV3.contentType(type)],
      })),
      ...more,
    ],
  };
}

/** A started job as another process would hold it: the handle `start()` returned, by id. */
export function pendingHandle(
  provider: ProviderId,
  id: string,
  extra: Partial<OperationHandle> = {},
): OperationHandle {
  return {
    version: 1,
    provider,
    id,
    state: "pending",
    createdAt: 0,
    clientRequestId: "00000000-0000-4000-8000-000000000000",
    expected: { scale: 2, inputWidth: 8, inputHeight: 6, contentType: "image/png" },
    warnings: [],
    tried: [provider],
    ...extra,
  };
}

/**
 * The settings field as the providers' curl sends it: a plain text part holding JSON. Pact
 * matches a text part as a whole string (only file parts are parsed by their content type), so
 * its JSON is matched by a regex: an object with a string `prompt` and integer `resemblance` and
 * `detail`, in any order and with any other fields.
 */
const settingsText = (fields: { name: string; value: string }[]) =>
  `^\\{${fields.map(({ name, value }) => `(?=.*"${name}"\\s*:\\s*${value})`).join("")}.*\\}$`;

/** Ideogram's multipart request, shared by Ideogram and chainhub: settings JSON + the image. */
export function familyRequest(image: Uint8Array = inputPng): { body: Buffer; rules: Rules } {
  const settings = JSON.stringify(familySettings);
  const body = multipartBody([
    { name: "image_request", data: settings },
    { name: "image_file", fileName: "image.png", contentType: "image/png", data: image },
  ]);
  const pattern = settingsText([
    { name: "prompt", value: '"[^"]*"' },
    { name: "resemblance", value: "\\d+" },
    { name: "detail", value: "\\d+" },
  ]);
  const rules = multipartRules({ image_file: "image/png" }, [
    { path: "$.image_request", rules: [MatchersV3.regex(pattern, settings)] },
  ]);
  return { body, rules };
}

/** The options every upscale in the pacts asks for, and how the Ideogram family receives them. */
export const upscaleOptions = { prompt: "crisp", resemblance: 60, detail: 40 };
export const familySettings = { prompt: "crisp", resemblance: 60, detail: 40 };

/** A PNG that declares 20000×20000 pixels: every provider refuses it as invalid input. */
export function oversizedPng(): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc32 = (data: Buffer) => {
    let crc = 0xffffffff;
    for (const byte of data) crc = crcTable[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20_000, 0);
  ihdr.writeUInt32BE(20_000, 4);
  ihdr[8] = 8;
  // A fixed, tiny IDAT (zlib of nothing): the bytes never change between runs.
  const idat = Buffer.from("789c030000000001", "hex");
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", ihdr),
      chunk("IDAT", idat),
      chunk("IEND", Buffer.alloc(0)),
    ]),
  );
}

/** Rejects with the error `promise` ends with (and fails when it resolves). */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("Expected the call to fail, but it succeeded.");
}

/** The webhook messages in the pacts, by description (the verification captures each one). */
export const webhookMessages = {
  freepikCompleted: "a Freepik webhook for a COMPLETED task",
  freepikFailed: "a Freepik webhook for a FAILED task",
  falOk: "a fal webhook for a run that succeeded",
  falError: "a fal webhook for a run the content checker flagged",
} as const;

/** `${name}`: a value the provider-state setup returns, injected by Pact at verification time. */
export const injected = (name: string) => `\${${name}}`;
