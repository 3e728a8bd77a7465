/**
 * 1min.ai assets: `POST /api/assets` stores an upload under a relative key
 * (`images/<yyyy_mm_dd_hh_mm_ss_mmm>_<name>`), and asset.1min.ai serves every key — uploads and
 * upscale results — the way third-party clients resolve 1min.ai's relative paths.
 * Uploads live in the namespace that made them; results are the OutputStore's reservations.
 */
import { randomUUID } from "node:crypto";
import { oneminFacts } from "../../../src/providers/onemin/facts.ts";
import type { StoredFile } from "../../engine/files.ts";
import { contentTypes, type ImageFormat, inspectImage } from "../../engine/images.ts";
import { parseMultipart } from "../../engine/multipart.ts";
import { multipartOverheadBytes, type Route, type RouteContext } from "../../engine/provider.ts";
import { bytes, json } from "../../engine/sim-http.ts";
import { serveOutput } from "../common/render.ts";
import { message, s3Error } from "./answers.ts";
import { perKeyRateLimit } from "./rate-limit.ts";

/** The bucket 1min.ai names in an upload answer: its asset host. */
const assetBucket = new URL(oneminFacts.hosts.asset).host;

/** How long uploads and results stay served (the S3 presign lifetime in temporaryUrl) [ours]. */
export const assetTtlMs = 7 * 24 * 60 * 60 * 1000;

export const extensions: Record<ImageFormat, string> = { png: "png", jpeg: "jpg", webp: "webp" };

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `yyyy_mm_dd_hh_mm_ss_mmm` in UTC, as 1min.ai prefixes its asset keys. */
export function keyStamp(ms: number): string {
  const d = new Date(ms);
  return [
    d.getUTCFullYear(),
    pad(d.getUTCMonth() + 1),
    pad(d.getUTCDate()),
    pad(d.getUTCHours()),
    pad(d.getUTCMinutes()),
    pad(d.getUTCSeconds()),
    pad(d.getUTCMilliseconds(), 3),
  ].join("_");
}

/** The file name as a single key segment (no slashes or control characters). */
function keyName(name: string): string {
  const cleaned = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[^\w.-]+/g, "_");
  return cleaned.replace(/^\.+/, "") || "image";
}

const uploadId = (namespace: string, key: string) => `onemin:${namespace}:${key}`;

/** An upload of this namespace, if its key is known here and not expired. */
export function findUpload(ctx: RouteContext, key: string): StoredFile | undefined {
  return liveUpload(ctx, ctx.sim.files.get(uploadId(ctx.ns.name, key)));
}

/** The same, also among uploads another replica shared, when replicas share a store. */
async function loadUpload(ctx: RouteContext, key: string): Promise<StoredFile | undefined> {
  return liveUpload(ctx, await ctx.sim.files.load(ctx.ns.name, uploadId(ctx.ns.name, key)));
}

function liveUpload(ctx: RouteContext, file: StoredFile | undefined): StoredFile | undefined {
  if (!file || file.namespace !== ctx.ns.name || file.provider !== "onemin") return undefined;
  return ctx.ns.clock.now() > file.expiresAt ? undefined : file;
}

const resultPattern = /^images\/\d{4}(?:_\d+){6}_upscale_([A-Za-z0-9_-]{16})\.(?:png|jpg|webp)$/;

/** Whether a key has the shape of the keys this simulator hands out (uploads and results). */
export function isIssuedKey(key: string): boolean {
  return /^images\/\d{4}(?:_\d+){6}_[^/]+$/.test(key.replace(/^\/+/, ""));
}

/** The relative key of a result (what `resultObject` lists). */
export function resultKey(stamp: string, outputId: string, format: ImageFormat): string {
  return `images/${stamp}_upscale_${outputId}.${extensions[format]}`;
}

/** The bytes behind a relative asset key: an upload of this namespace, or a live result. */
export async function readAsset(ctx: RouteContext, key: string): Promise<Uint8Array | undefined> {
  const clean = key.replace(/^\/+/, "");
  const upload = await loadUpload(ctx, clean);
  if (upload) return upload.data;
  const outputId = resultPattern.exec(clean)?.[1];
  if (!outputId) return undefined;
  const expiresAt = await ctx.sim.outputs.lookup(outputId, ctx.ns.name);
  if (expiresAt === undefined || ctx.ns.clock.now() > expiresAt) return undefined;
  const file = await ctx.sim.outputs.get(outputId, ctx.ns.name).catch(() => undefined);
  return file && file.namespace === ctx.ns.name ? file.data : undefined;
}

/** The absolute URL of a relative key on the asset host. */
export function assetLocation(ctx: RouteContext, key: string): string {
  return ctx.url("asset", `/${key.split("/").map(encodeURIComponent).join("/")}`);
}

const megabytes = (n: number) => `${Math.round((n / (1024 * 1024)) * 10) / 10} MB`;

export const uploadRoute: Route = {
  host: "api",
  method: "POST",
  path: "/api/assets",
  operation: "uploadAsset",
  phase: "upload",
  maxBodyBytes: (limits) => limits.maxUploadBytes + multipartOverheadBytes,
  rateLimit: perKeyRateLimit,
  async handle(ctx) {
    const maxBytes = ctx.sim.limits.maxUploadBytes;
    const tooLarge = () => message(413, `File too large. Maximum size is ${megabytes(maxBytes)}.`);
    const parsed = await parseMultipart(ctx.req, { maxFileBytes: maxBytes });
    if (!parsed.ok) {
      if (parsed.problem === "too-large") return tooLarge();
      if (parsed.problem === "not-multipart")
        return message(
          400,
          `No file uploaded. ${parsed.reason} Send the image in the multipart field "asset".`,
        );
      return message(400, parsed.reason);
    }
    const copies = parsed.form.files.get("asset")?.length ?? 0;
    if (copies > 1)
      return message(400, `Field "asset" was sent ${copies} times; upload one file per request.`);
    const file = parsed.form.files.get("asset")?.[0];
    if (!file || file.data.byteLength === 0)
      return message(400, 'No file uploaded. Send the image in the multipart field "asset".');
    const inspected = await inspectImage(file.data, {
      maxInputBytes: maxBytes,
      maxInputPixels: ctx.sim.limits.maxInputPixels,
    });
    if (!inspected.ok) {
      if (inspected.problem === "too-large-bytes") return tooLarge();
      if (inspected.problem === "unsupported-format")
        return message(
          400,
          `Unsupported file type ${file.contentType || "unknown"}. Allowed: image/jpeg, image/png, image/webp.`,
        );
      return message(400, `Invalid image: ${inspected.reason}`);
    }
    const mimetype = contentTypes[inspected.format];
    const name = file.filename || `image.${extensions[inspected.format]}`;
    const now = ctx.ns.clock.now();
    // Keys carry millisecond stamps; two uploads of one name in the same millisecond get the next.
    let stampAt = now;
    let key = `images/${keyStamp(stampAt)}_${keyName(name)}`;
    while (findUpload(ctx, key)) key = `images/${keyStamp(++stampAt)}_${keyName(name)}`;
    ctx.sim.files.put({
      id: uploadId(ctx.ns.name, key),
      namespace: ctx.ns.name,
      provider: "onemin",
      contentType: mimetype,
      data: file.data,
      width: inspected.width,
      height: inspected.height,
      createdAt: now,
      expiresAt: now + assetTtlMs,
    });
    return json(200, {
      asset: {
        key,
        location: assetLocation(ctx, key),
        mimetype,
        size: file.data.byteLength,
        bucket: assetBucket,
        originalname: name,
      },
      fileContent: {
        uuid: randomUUID(),
        path: key,
        // The Asset API page shows the extension (`png`) and the stored name, not the upload's.
        type: extensions[inspected.format],
        name: key.slice(key.lastIndexOf("/") + 1),
        status: "ACTIVE",
        createdAt: new Date(now).toISOString(),
      },
    });
  },
};

/** asset.1min.ai: uploads of the caller's namespace and upscale results, by relative key. */
export const downloadRoute: Route = {
  host: "asset",
  method: "GET",
  path: "/images/:file",
  operation: "downloadAsset",
  phase: "download",
  auth: false,
  async handle(ctx) {
    const key = `images/${ctx.params.file!}`;
    const upload = await loadUpload(ctx, key);
    if (upload) return bytes(200, upload.data, upload.contentType, { "cache-control": "max-age=604800" });
    const outputId = resultPattern.exec(key)?.[1];
    if (outputId) {
      const served = await serveOutput(ctx, outputId);
      if (served.kind === "ok")
        return bytes(200, served.data, served.contentType, { "cache-control": "max-age=604800" });
      if (served.kind === "expired") return s3Error(403, "AccessDenied", "Request has expired");
    }
    return s3Error(404, "NoSuchKey", "The specified key does not exist.");
  },
};
