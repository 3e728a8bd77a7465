/**
 * fal storage and CDN: `POST rest.fal.ai/storage/upload/initiate` hands out a pre-signed
 * `upload_url` and the final `file_url` (both on v3.fal.media); `PUT upload_url` stores the bytes;
 * `GET file_url` serves them, and serves run results the same way. Also the JWKS webhook
 * receivers verify signatures against.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { StorageInitiateRequest } from "../../../src/providers/fal/schemas.ts";
import { sniffedContentType } from "../../engine/images.ts";
import type { Route, RouteContext } from "../../engine/provider.ts";
import { bytes, empty, json, parseJsonBody } from "../../engine/sim-http.ts";
import { serveOutput } from "../common/render.ts";
import {
  answer,
  detail,
  jsonInvalid,
  missingBody,
  pydanticItems,
  validationError,
  withRequestId,
} from "./errors.ts";
import { pickBucket } from "./output.ts";

/** How long an upload URL stays valid and how long an uploaded file is kept [ours]. */
const uploadUrlTtlMs = 60 * 60 * 1000;
const storedFileTtlMs = 7 * 24 * 60 * 60 * 1000;

function uploadSignature(ctx: RouteContext, bucket: string, file: string, expires: number): string {
  return createHmac("sha256", ctx.sim.linkSecret)
    .update(`fal-upload:${bucket}/${file}:${expires}`)
    .digest("hex")
    .slice(0, 32);
}

function safeFileName(name: string): string {
  const cleaned = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[^A-Za-z0-9._-]/g, "_")
    .slice(-100);
  return cleaned.replace(/^[._]+/, "") || "file";
}

const initiateUpload: Route = {
  host: "rest",
  method: "POST",
  path: "/storage/upload/initiate",
  operation: "initiateUpload",
  phase: "upload",
  handle(ctx) {
    const storageType = ctx.req.query.get("storage_type");
    if (storageType !== null && storageType !== "fal-cdn-v3") {
      return withRequestId(
        answer(
          validationError([
            {
              loc: ["query", "storage_type"],
              msg: "Input should be 'fal-cdn-v3'",
              type: "enum",
              input: storageType,
              ctx: { expected: "'fal-cdn-v3'" },
            },
          ]),
        ),
      );
    }
    if (ctx.req.body.byteLength === 0) return withRequestId(answer(missingBody()));
    const parsed = parseJsonBody(ctx.req);
    if (!parsed.ok) return withRequestId(answer(jsonInvalid(parsed.reason)));
    const result = StorageInitiateRequest.safeParse(parsed.value);
    if (!result.success)
      return withRequestId(answer(validationError(pydanticItems(result.error, parsed.value))));

    const bucket = pickBucket(ctx.ns.random);
    // Hex ids never contain `_`, so the PUT can split `<id>_<name>` at the first one.
    const file = `${randomBytes(12).toString("hex")}_${safeFileName(result.data.file_name)}`;
    const expires = Math.floor((ctx.ns.clock.now() + uploadUrlTtlMs) / 1000);
    const signature = uploadSignature(ctx, bucket, file, expires);
    return withRequestId(
      json(200, {
        upload_url: ctx.url(
          "media",
          `/files/upload/${bucket}/${file}?expires=${expires}&signature=${signature}`,
        ),
        file_url: ctx.url("media", `/files/${bucket}/${file}`),
      }),
    );
  },
};

/** `PUT <upload_url>`: the URL is pre-signed, so no fal key is needed (or checked). */
const uploadFile: Route = {
  host: "media",
  method: "PUT",
  path: "/files/upload/:bucket/:file",
  operation: "uploadFile",
  phase: "upload",
  auth: false,
  maxBodyBytes: (limits) => limits.maxUploadBytes,
  handle(ctx) {
    const { bucket, file } = ctx.params as { bucket: string; file: string };
    const expires = Number(ctx.req.query.get("expires"));
    const given = ctx.req.query.get("signature") ?? "";
    const wanted = uploadSignature(ctx, bucket, file, expires);
    const valid = given.length === wanted.length && timingSafeEqual(Buffer.from(given), Buffer.from(wanted));
    if (!valid)
      return detail(
        403,
        "The upload URL signature is invalid. Request a new one with /storage/upload/initiate.",
      );
    if (ctx.ns.clock.now() > expires * 1000)
      return detail(403, "The upload URL has expired. Request a new one with /storage/upload/initiate.");
    const id = file.slice(0, file.indexOf("_"));
    const now = ctx.ns.clock.now();
    ctx.sim.files.put({
      id,
      namespace: ctx.ns.name,
      provider: "fal",
      // Served back from this origin: only a sniffed image type, never the uploader's own header
      // (text/html or image/svg+xml would be active content next to the dashboard).
      contentType: sniffedContentType(ctx.req.body, "application/octet-stream"),
      data: ctx.req.body,
      createdAt: now,
      expiresAt: now + storedFileTtlMs,
    });
    return empty(200);
  },
};

const notFound = () => detail(404, "File not found");

/** Finds the stored id in `<id>_<name>` (ids are base64url and may themselves contain `_`). */
async function fileId(ctx: RouteContext, file: string): Promise<string | undefined> {
  for (let at = file.indexOf("_", 1); at > 0; at = file.indexOf("_", at + 1)) {
    const id = file.slice(0, at);
    if ((await ctx.sim.outputs.lookup(id, ctx.ns.name)) !== undefined) return id;
  }
  return undefined;
}

/** `GET https://v3.fal.media/files/<bucket>/<id>_<name>`: results and uploads alike. */
const downloadFile: Route = {
  host: "media",
  method: "GET",
  path: "/files/:bucket/:file",
  operation: "downloadFile",
  phase: "download",
  auth: false,
  async handle(ctx) {
    const id = await fileId(ctx, ctx.params.file!);
    if (!id) return notFound();
    const served = await serveOutput(ctx, id);
    // Expired objects are deleted from the CDN, so they answer like unknown ones.
    if (served.kind !== "ok") return notFound();
    return bytes(200, served.data, served.contentType, { "cache-control": "public, max-age=604800" });
  },
};

const jwks: Route = {
  host: "rest",
  method: "GET",
  path: "/.well-known/jwks.json",
  operation: "getJwks",
  phase: "download",
  auth: false,
  handle(ctx) {
    return json(200, ctx.sim.signer.jwks, { "cache-control": "public, max-age=86400" });
  },
};

export const storageRoutes: Route[] = [initiateUpload, uploadFile, downloadFile, jwks];
