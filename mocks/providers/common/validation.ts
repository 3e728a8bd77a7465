/** Turns zod issues into (field, reason) pairs every provider can phrase in its own body. */
import type { z } from "zod";
import { parseJsonBody, type SimRequest } from "../../engine/sim-http.ts";

export interface FieldIssue {
  /** Dotted path of the field, e.g. `promptObject.num_images`. */
  name: string;
  reason: string;
  /** The path as an array (fal's `loc`). */
  path: Array<string | number>;
}

export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
    return { name: path.join(".") || "body", reason: issue.message, path };
  });
}

export type ParsedBody<T> =
  | { ok: true; value: T }
  | { ok: false; kind: "not-json"; reason: string }
  | { ok: false; kind: "invalid"; issues: FieldIssue[] };

/**
 * Reads and validates a JSON body against a shared schema, never throwing. The body's size is
 * the route's limit, checked by the simulator before any handler runs.
 */
export function parseJsonRequest<S extends z.ZodType>(req: SimRequest, schema: S): ParsedBody<z.infer<S>> {
  const parsed = parseJsonBody(req);
  if (!parsed.ok) return { ok: false, kind: "not-json", reason: parsed.reason };
  const result = schema.safeParse(parsed.value);
  if (!result.success) return { ok: false, kind: "invalid", issues: fieldIssues(result.error) };
  return { ok: true, value: result.data };
}
