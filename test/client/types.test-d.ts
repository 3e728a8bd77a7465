/**
 * The zod schemas (shared by the client and the simulators) against the types generated from the
 * specs (the independent witness). These are compile-time checks that vitest runs in typecheck
 * mode: `npm run test:unit` fails when a spec changes and the schemas do not follow, or the other
 * way round.
 *
 * Both sides go through `Shape<>` first, which (a) drops index signatures, because the specs
 * allow undocumented extra fields (`additionalProperties`) where the zod objects simply ignore
 * them, and (b) flattens intersections (`Task & {generated}`) into plain objects. Optional
 * properties (`?: T` against zod's `?: T | undefined`) are the same type in this project
 * (exactOptionalPropertyTypes is off). Where a field cannot match exactly, the test compares
 * the fields present in both and says why next to it.
 */
import { describe, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import type { components as chainhub } from "../../generated/chainhub.ts";
import type { components as fal } from "../../generated/fal.ts";
import type { components as falSync } from "../../generated/fal-sync.ts";
import type { components as freepik } from "../../generated/freepik.ts";
import type { components as ideogram } from "../../generated/ideogram.ts";
import type { components as onemin } from "../../generated/onemin.ts";
import type * as ChainhubZ from "../../src/providers/chainhub/schemas.ts";
import type * as FalZ from "../../src/providers/fal/schemas.ts";
import type * as FreepikZ from "../../src/providers/freepik/schemas.ts";
import type * as IdeogramZ from "../../src/providers/ideogram/schemas.ts";
import type * as OneminZ from "../../src/providers/onemin/schemas.ts";

/** Index signatures dropped, intersections flattened, optional modifiers kept, recursively. */
type Shape<T> = T extends readonly (infer U)[]
  ? Shape<U>[]
  : T extends Blob | Uint8Array
    ? T
    : T extends object
      ? { [K in keyof T as string extends K ? never : number extends K ? never : K]: Shape<T[K]> }
      : T;
type Z<S extends z.ZodType> = Shape<z.infer<S>>;
type G<T> = Shape<T>;

describe("ideogram: zod ≡ generated", () => {
  type S = ideogram["schemas"];
  it("request", () => {
    expectTypeOf<Z<typeof IdeogramZ.UpscaleImageRequest>>().toEqualTypeOf<G<S["UpscaleImageRequest"]>>();
    // The multipart body itself has no zod schema: its `image_request` part is the JSON text of
    // UpscaleImageRequest (checked above) and `image_file` is binary, built as FormData.
    expectTypeOf<keyof S["UpscaleMultipartBody"]>().toEqualTypeOf<"image_request" | "image_file">();
  });
  it("responses", () => {
    expectTypeOf<Z<typeof IdeogramZ.UpscaleResponse>>().toEqualTypeOf<G<S["UpscaleResponse"]>>();
    expectTypeOf<Z<typeof IdeogramZ.ImageObject>>().toEqualTypeOf<G<S["ImageObject"]>>();
    expectTypeOf<Z<typeof IdeogramZ.ErrorResponse>>().toEqualTypeOf<G<S["ErrorResponse"]>>();
    expectTypeOf<Z<typeof IdeogramZ.PaymentRequiredResponse>>().toEqualTypeOf<
      G<S["PaymentRequiredResponse"]>
    >();
    expectTypeOf<Z<typeof IdeogramZ.InflightLimitResponse>>().toEqualTypeOf<G<S["InflightLimitResponse"]>>();
  });
});

describe("chainhub: zod ≡ generated", () => {
  type S = chainhub["schemas"];
  it("request", () => {
    expectTypeOf<Z<typeof ChainhubZ.UpscaleImageRequest>>().toEqualTypeOf<G<S["UpscaleImageRequest"]>>();
    expectTypeOf<keyof S["UpscaleMultipartBody"]>().toEqualTypeOf<"image_request" | "image_file">();
  });
  it("responses", () => {
    expectTypeOf<Z<typeof ChainhubZ.TaskEnvelope>>().toEqualTypeOf<G<S["TaskEnvelope"]>>();
    expectTypeOf<Z<typeof ChainhubZ.TaskQueryEnvelope>>().toEqualTypeOf<G<S["TaskQueryEnvelope"]>>();
    expectTypeOf<Z<typeof ChainhubZ.PassthroughUpscaleResponse>>().toEqualTypeOf<
      G<S["PassthroughUpscaleResponse"]>
    >();
    expectTypeOf<Z<typeof ChainhubZ.ImageObject>>().toEqualTypeOf<G<S["ImageObject"]>>();
    expectTypeOf<Z<typeof ChainhubZ.ErrorEnvelope>>().toEqualTypeOf<G<S["ErrorEnvelope"]>>();
  });
});

describe("fal: zod ≡ generated (queue, storage, webhook and sync documents)", () => {
  type S = fal["schemas"];
  type Sync = falSync["schemas"];
  it("requests", () => {
    expectTypeOf<Z<typeof FalZ.UpscaleInput>>().toEqualTypeOf<G<S["UpscaleInput"]>>();
    expectTypeOf<Z<typeof FalZ.UpscaleInput>>().toEqualTypeOf<G<Sync["UpscaleInput"]>>();
    expectTypeOf<Z<typeof FalZ.StorageInitiateRequest>>().toEqualTypeOf<G<S["StorageInitiateRequest"]>>();
  });
  it("responses", () => {
    expectTypeOf<Z<typeof FalZ.UpscaleOutput>>().toEqualTypeOf<G<S["UpscaleOutput"]>>();
    expectTypeOf<Z<typeof FalZ.UpscaleOutput>>().toEqualTypeOf<G<Sync["UpscaleOutput"]>>();
    expectTypeOf<Z<typeof FalZ.File>>().toEqualTypeOf<G<S["File"]>>();
    expectTypeOf<Z<typeof FalZ.QueueSubmitResponse>>().toEqualTypeOf<G<S["QueueSubmitResponse"]>>();
    expectTypeOf<Z<typeof FalZ.InQueueStatus>>().toEqualTypeOf<G<S["InQueueStatus"]>>();
    expectTypeOf<Z<typeof FalZ.InProgressStatus>>().toEqualTypeOf<G<S["InProgressStatus"]>>();
    expectTypeOf<Z<typeof FalZ.CompletedStatus>>().toEqualTypeOf<G<S["CompletedStatus"]>>();
    expectTypeOf<Z<typeof FalZ.QueueStatus>>().toEqualTypeOf<G<S["QueueStatus"]>>();
    expectTypeOf<Z<typeof FalZ.CancelResponse>>().toEqualTypeOf<G<S["CancelResponse"]>>();
    expectTypeOf<Z<typeof FalZ.StorageInitiateResponse>>().toEqualTypeOf<G<S["StorageInitiateResponse"]>>();
    expectTypeOf<Z<typeof FalZ.ValidationErrorResponse>>().toEqualTypeOf<G<S["ValidationErrorResponse"]>>();
    expectTypeOf<Z<typeof FalZ.InfraErrorResponse>>().toEqualTypeOf<G<S["InfraErrorResponse"]>>();
    expectTypeOf<Z<typeof FalZ.ErrorResponse>>().toEqualTypeOf<G<S["ErrorResponse"]>>();
  });
  it("webhook payloads", () => {
    expectTypeOf<Z<typeof FalZ.WebhookOkPayload>>().toEqualTypeOf<G<S["WebhookOkPayload"]>>();
    expectTypeOf<Z<typeof FalZ.WebhookErrorPayload>>().toEqualTypeOf<G<S["WebhookErrorPayload"]>>();
    expectTypeOf<Z<typeof FalZ.WebhookPayloadErrorPayload>>().toEqualTypeOf<
      G<S["WebhookPayloadErrorPayload"]>
    >();
  });
});

describe("onemin: zod ≡ generated", () => {
  type S = onemin["schemas"];
  it("requests", () => {
    expectTypeOf<Z<typeof OneminZ.FeatureRequest>>().toEqualTypeOf<G<S["FeatureRequest"]>>();
    expectTypeOf<Z<typeof OneminZ.PromptObject>>().toEqualTypeOf<G<S["PromptObject"]>>();
    // The upload is multipart: the spec types the `asset` part as a binary string (what goes on
    // the wire), the zod schema as the bytes a caller holds (Uint8Array | Blob). Only the field
    // names can match.
    expectTypeOf<keyof z.infer<typeof OneminZ.AssetUploadRequest>>().toEqualTypeOf<
      keyof S["AssetUploadRequest"]
    >();
  });
  it("responses", () => {
    expectTypeOf<Z<typeof OneminZ.AssetUploadResponse>>().toEqualTypeOf<G<S["AssetUploadResponse"]>>();
    expectTypeOf<Z<typeof OneminZ.FeatureResponse>>().toEqualTypeOf<G<S["FeatureResponse"]>>();
    expectTypeOf<Z<typeof OneminZ.ImageObject>>().toEqualTypeOf<G<S["ImageObject"]>>();
    expectTypeOf<Z<typeof OneminZ.ErrorResponse>>().toEqualTypeOf<G<S["ErrorResponse"]>>();
  });
});

describe("freepik: zod ≡ generated", () => {
  type S = freepik["schemas"];
  it("requests", () => {
    expectTypeOf<Z<typeof FreepikZ.CreativeUpscaleRequest>>().toEqualTypeOf<G<S["CreativeUpscaleRequest"]>>();
    expectTypeOf<Z<typeof FreepikZ.PrecisionUpscaleRequest>>().toEqualTypeOf<
      G<S["PrecisionUpscaleRequest"]>
    >();
    expectTypeOf<Z<typeof FreepikZ.PrecisionV2UpscaleRequest>>().toEqualTypeOf<
      G<S["PrecisionV2UpscaleRequest"]>
    >();
  });
  it("responses and webhook", () => {
    expectTypeOf<Z<typeof FreepikZ.TaskResponse>>().toEqualTypeOf<G<S["TaskResponse"]>>();
    expectTypeOf<Z<typeof FreepikZ.TaskListResponse>>().toEqualTypeOf<G<S["TaskListResponse"]>>();
    expectTypeOf<Z<typeof FreepikZ.TaskDetail>>().toEqualTypeOf<G<S["TaskDetail"]>>();
    expectTypeOf<Z<typeof FreepikZ.WebhookPayload>>().toEqualTypeOf<G<S["WebhookPayload"]>>();
    expectTypeOf<Z<typeof FreepikZ.ErrorMessage>>().toEqualTypeOf<G<S["ErrorMessage"]>>();
    expectTypeOf<Z<typeof FreepikZ.ProblemDetails>>().toEqualTypeOf<G<S["ProblemDetails"]>>();
  });
});
