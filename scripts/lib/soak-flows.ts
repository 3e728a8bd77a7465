/**
 * Each provider's flow as the soak drives it over raw HTTP: submit (with an upload first where
 * the provider takes one), poll to the end, download the result; a share of the flows ask for a
 * webhook. Each flow accepts the errors its scenario asked for and counts them as expected.
 */
import { multipart } from "./multipart.ts";
import type { FlowContext, SoakClient } from "./soak-client.ts";

export type Flow = (ctx: FlowContext, image: Uint8Array) => Promise<void>;

/** What every flow works with: the client, the run's seeded random, and a webhook target picker. */
interface FlowKit {
  client: SoakClient;
  random: () => number;
  hookUrl: () => string;
}

async function freepik(
  { client, random, hookUrl }: FlowKit,
  ctx: FlowContext,
  image: Uint8Array,
): Promise<void> {
  const headers = { "x-freepik-api-key": "soak-freepik", "content-type": "application/json" };
  const body = {
    image: Buffer.from(image).toString("base64"),
    ...(random() < 0.3 ? { webhook_url: hookUrl() } : {}),
  };
  const created = client.json<{ data: { task_id: string } }>(
    await client.call(
      ctx,
      "create",
      "POST",
      "/freepik/v1/ai/image-upscaler",
      headers,
      [200],
      new TextEncoder().encode(JSON.stringify(body)),
    ),
  );
  const status = `/freepik/v1/ai/image-upscaler/${created.data.task_id}`;
  client.accept({ ns: ctx.ns, provider: "freepik", url: status, headers });
  const final = await client.poll<{ data: { status: string; generated: string[] } }>(
    ctx,
    status,
    headers,
    (b) => ["COMPLETED", "FAILED"].includes(b.data.status),
  );
  if (final.data.status === "FAILED") {
    if (ctx.scenario !== "task-failure") client.fail("freepik task FAILED without task-failure", status);
    return client.expect("task-failure: freepik FAILED");
  }
  await client.download(ctx, final.data.generated[0]!);
}

async function falQueue(
  { client, random, hookUrl }: FlowKit,
  ctx: FlowContext,
  image: Uint8Array,
): Promise<void> {
  const auth = { authorization: "Key soak-fal:secret" };
  const headers = { ...auth, "content-type": "application/json" };
  const initiated = client.json<{ upload_url: string; file_url: string }>(
    await client.call(
      ctx,
      "initiate",
      "POST",
      "/fal/rest/storage/upload/initiate?storage_type=fal-cdn-v3",
      headers,
      [200],
      new TextEncoder().encode(JSON.stringify({ content_type: "image/png", file_name: "in.png" })),
      false,
    ),
  );
  await client.call(
    ctx,
    "put",
    "PUT",
    client.path(initiated.upload_url),
    { "content-type": "image/png" },
    [200],
    image,
    false,
  );
  const webhook = random() < 0.3 ? `?fal_webhook=${encodeURIComponent(hookUrl())}` : "";
  const submitted = client.json<{ status_url: string; response_url: string }>(
    await client.call(
      ctx,
      "submit",
      "POST",
      `/fal/queue/fal-ai/ideogram/upscale${webhook}`,
      headers,
      [200],
      new TextEncoder().encode(JSON.stringify({ image_url: initiated.file_url })),
    ),
  );
  client.accept({ ns: ctx.ns, provider: "fal", url: client.path(submitted.status_url), headers: auth });
  await client.poll<{ status: string }>(
    ctx,
    client.path(submitted.status_url),
    auth,
    (b) => b.status === "COMPLETED",
  );
  const result = await client.call(
    ctx,
    "result",
    "GET",
    client.path(submitted.response_url),
    auth,
    ctx.scenario === "task-failure" ? [422] : [200],
  );
  if (result.status === 422) return client.expect("task-failure: fal 422");
  await client.download(ctx, client.json<{ images: Array<{ url: string }> }>(result).images[0]!.url);
}

async function falSync({ client, random }: FlowKit, ctx: FlowContext, image: Uint8Array): Promise<void> {
  const body = {
    image_url: `data:image/png;base64,${Buffer.from(image).toString("base64")}`,
    sync_mode: random() < 0.5,
  };
  const answer = await client.call(
    ctx,
    "run",
    "POST",
    "/fal/run/fal-ai/ideogram/upscale",
    { authorization: "Key soak-fal:secret", "content-type": "application/json" },
    ctx.scenario === "task-failure" ? [422] : [200],
    new TextEncoder().encode(JSON.stringify(body)),
  );
  if (answer.status === 422) return client.expect("task-failure: fal 422");
  const link = client.json<{ images: Array<{ url: string }> }>(answer).images[0]!.url;
  if (!link.startsWith("data:")) await client.download(ctx, link);
}

async function ideogram({ client, random }: FlowKit, ctx: FlowContext, image: Uint8Array): Promise<void> {
  const form = multipart([
    { name: "image_request", value: JSON.stringify({ num_images: 1 + Math.floor(random() * 2) }) },
    { name: "image_file", value: image, filename: "in.png", type: "image/png" },
  ]);
  const answer = await client.call(
    ctx,
    "upscale",
    "POST",
    "/ideogram/upscale",
    { "api-key": "soak-ideogram", "content-type": form.contentType },
    ctx.scenario === "task-failure" ? [422] : [200],
    form.body,
  );
  if (answer.status === 422) return client.expect("task-failure: ideogram 422");
  await client.download(ctx, client.json<{ data: Array<{ url: string }> }>(answer).data[0]!.url);
}

async function chainhub({ client }: FlowKit, ctx: FlowContext, image: Uint8Array): Promise<void> {
  const headers = { authorization: "Bearer soak-chainhub", accept: "application/json" };
  const form = multipart([
    { name: "image_request", value: "{}" },
    { name: "image_file", value: image, filename: "in.png", type: "image/png" },
  ]);
  const created = client.json<{ data: { task_id: string } }>(
    await client.call(
      ctx,
      "submit",
      "POST",
      "/chainhub/ideogram/upscale",
      { ...headers, "content-type": form.contentType },
      [200],
      form.body,
    ),
  );
  const status = `/chainhub/ideogram/upscale/${created.data.task_id}`;
  client.accept({ ns: ctx.ns, provider: "chainhub", url: status, headers });
  const final = await client.poll<{
    data: { task_status: string; task_result?: { images: Array<{ url: string }> } };
  }>(ctx, status, headers, (b) => ["succeed", "failed"].includes(b.data.task_status));
  if (final.data.task_status === "failed") {
    if (ctx.scenario !== "task-failure") client.fail("chainhub task failed without task-failure", status);
    return client.expect("task-failure: chainhub failed");
  }
  await client.download(ctx, final.data.task_result!.images[0]!.url);
}

async function onemin({ client }: FlowKit, ctx: FlowContext, image: Uint8Array): Promise<void> {
  const form = multipart([{ name: "asset", value: image, filename: "in.png", type: "image/png" }]);
  const asset = client.json<{ fileContent: { path: string } }>(
    await client.call(
      ctx,
      "asset",
      "POST",
      "/onemin/api/assets",
      { "api-key": "soak-onemin", "content-type": form.contentType },
      [200],
      form.body,
      false,
    ),
  );
  const feature = {
    type: "IMAGE_UPSCALER",
    model: "ideogram-3",
    promptObject: { imageUrl: asset.fileContent.path, num_images: 1 },
  };
  const answer = client.json<{
    aiRecord: { status: string; aiRecordDetail: { responseObject: { data: Array<{ url: string }> } } };
  }>(
    await client.call(
      ctx,
      "feature",
      "POST",
      "/onemin/api/features",
      { "api-key": "soak-onemin", "content-type": "application/json" },
      [200],
      new TextEncoder().encode(JSON.stringify(feature)),
    ),
  );
  if (answer.aiRecord.status === "FAILED") {
    if (ctx.scenario !== "task-failure") client.fail("onemin record FAILED without task-failure", "");
    return client.expect("task-failure: onemin FAILED");
  }
  await client.download(ctx, answer.aiRecord.aiRecordDetail.responseObject.data[0]!.url);
}

/** The flows by name; `hookUrl` picks a webhook target on the local receiver. */
export function soakFlows(
  client: SoakClient,
  random: () => number,
  hookUrl: () => string,
): Record<string, Flow> {
  const kit: FlowKit = { client, random, hookUrl };
  return {
    freepik: (ctx, image) => freepik(kit, ctx, image),
    "fal-queue": (ctx, image) => falQueue(kit, ctx, image),
    "fal-sync": (ctx, image) => falSync(kit, ctx, image),
    ideogram: (ctx, image) => ideogram(kit, ctx, image),
    chainhub: (ctx, image) => chainhub(kit, ctx, image),
    onemin: (ctx, image) => onemin(kit, ctx, image),
  };
}
