/**
 * Sends a document's example request to the simulators and reads the answer, the same way over
 * MSW (the real hosts, intercepted) and over the standalone server (only the origin swapped for
 * the server's prefix). fal's client examples are run as the clients run them: the JavaScript one
 * with @fal-ai/client itself, the Python one as the queue calls `fal_client.subscribe` makes.
 */
import { createFalClient } from "@fal-ai/client";
import { expect } from "vitest";
import { makeImage } from "../../scripts/lib/images.ts";
import {
  type DocumentExamples,
  type RequestExample,
  type Stand,
  sendable,
  successProblems,
  valueAt,
} from "./documented-examples.ts";

export interface Target {
  /** The URL a real-host URL is sent to (the identity over MSW). */
  swap(url: string): string;
  /** @fal-ai/client settings that reach the simulators (a proxy URL on the server). */
  falClient: Parameters<typeof createFalClient>[0];
}

let image: Uint8Array | undefined;

/** The dummy key and the test image that stand in for the document's placeholders. */
export async function stand(): Promise<Stand> {
  image ??= await makeImage(24, 16);
  return { key: "documented-example-key", image };
}

export interface Answer {
  status: number;
  body: unknown;
}

async function read(response: Response): Promise<Answer> {
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, body };
}

/** One HTTP example, sent as the document writes it. */
export async function replayRequest(
  doc: DocumentExamples,
  example: RequestExample,
  target: Target,
): Promise<Answer> {
  const request = sendable(doc, example, await stand());
  return read(
    await fetch(target.swap(request.url), {
      method: request.method,
      headers: request.headers,
      ...(request.body !== undefined ? { body: request.body } : {}),
    }),
  );
}

/** fal's `subscribe` examples: the output the client hands back. */
export async function replayFalSubscribe(example: RequestExample, target: Target): Promise<Answer> {
  const { client, endpoint, input, logs } = example.falSubscribe!;
  const key = (await stand()).key;
  if (client === "javascript") {
    const fal = createFalClient({ credentials: key, ...target.falClient });
    const result = await fal.subscribe(endpoint, { input: input as Record<string, unknown>, logs });
    return { status: 200, body: result.data };
  }
  // fal_client.subscribe: submit to the queue, poll the status URL it returns (with logs) until
  // COMPLETED, then read the response URL.
  const headers = { Authorization: `Key ${key}`, "Content-Type": "application/json" };
  const submitted = await fetch(target.swap(`https://queue.fal.run/${endpoint}`), {
    method: "POST",
    headers,
    body: JSON.stringify(input),
  });
  expect(submitted.status).toBe(200);
  const queued = (await submitted.json()) as { status_url: string; response_url: string };
  for (let poll = 0; poll < 100; poll++) {
    const status = await read(
      await fetch(`${target.swap(queued.status_url)}?logs=${logs ? 1 : 0}`, { headers }),
    );
    expect(status.status).toBe(200);
    if ((status.body as { status?: string }).status === "COMPLETED") break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return read(await fetch(target.swap(queued.response_url), { headers }));
}

export function replay(doc: DocumentExamples, example: RequestExample, target: Target): Promise<Answer> {
  return example.falSubscribe ? replayFalSubscribe(example, target) : replayRequest(doc, example, target);
}

/** The answer has the document's success status, schema and shape, and the values it fixes. */
export function expectDocumentedSuccess(
  doc: DocumentExamples,
  example: RequestExample,
  answer: Answer,
): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(doc.success.status);
  expect(successProblems(doc, answer.body)).toEqual([]);
  for (const [path, value] of Object.entries(example.expect ?? {})) {
    expect(valueAt(answer.body, path), path).toEqual(value);
  }
}
