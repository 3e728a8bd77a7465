/**
 * The operation handle start() returns: plain JSON (no credentials) that status(), result(),
 * wait() and cancel() accept in this process or another, checked on the way back in.
 */
import { z } from "zod";
import { providerIds } from "../providers/ids.ts";
import { ValidationError } from "./errors.ts";
import type { OperationHandle } from "./types.ts";

/** The handle's schema. */
const OperationHandleSchema = z.object({
  version: z.literal(1),
  provider: z.enum(providerIds),
  id: z.string().min(1),
  state: z.enum(["pending", "done"]),
  endpoint: z.string().optional(),
  urls: z.object({ status: z.string(), result: z.string(), cancel: z.string() }).partial().optional(),
  output: z.unknown().optional(),
  createdAt: z.number(),
  clientRequestId: z.string(),
  expected: z.object({
    scale: z.number(),
    inputWidth: z.number().optional(),
    inputHeight: z.number().optional(),
    format: z.enum(["png", "jpeg", "webp"]).optional(),
    contentType: z.string().optional(),
  }),
  warnings: z.array(z.string()),
  tried: z.array(z.enum(providerIds)),
});

/** Checks a handle that may have travelled between processes; a bad one is a ValidationError. */
export function parseHandle(handle: unknown): OperationHandle {
  const parsed = OperationHandleSchema.safeParse(handle);
  if (parsed.success) return parsed.data as OperationHandle;
  const fieldErrors = parsed.error.issues.map((i) => ({ field: i.path.join("."), message: i.message }));
  throw new ValidationError(
    `Failed to read the operation handle: ${fieldErrors.map((f) => `${f.field}: ${f.message}`).join("; ")}. Pass the handle exactly as start() returned it.`,
    { status: 0, fieldErrors },
  );
}
