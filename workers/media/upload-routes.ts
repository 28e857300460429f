import { createRoute, z } from "@hono/zod-openapi";
import { assertEmailVerified } from "../auth/email-gate.ts";
import { enforceRateLimit } from "../auth/rate-limit.ts";
import { signedIn } from "../auth/route-presets.ts";
import { Title, TrackSchema } from "../catalog/schemas.ts";
import { getTrackWithOwner, trackResponseOf } from "../catalog/tracks.ts";
import { UPLOAD_STATUSES } from "../db/schema/index.ts";
import { notFound } from "../shared/errors.ts";
import { createRouter, endpoint, errorResponse, IdParam, jsonBody, jsonResponse } from "../shared/openapi.ts";
import {
  abortUpload,
  completeUpload,
  createUpload,
  getOwnUpload,
  listParts,
  partCountOf,
  putPart,
  storageUsage,
  type UploadRow,
} from "./uploads.ts";

const CreateUploadBody = z.object({
  filename: z.string().trim().min(1).max(255),
  size: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  contentType: z.string().max(255),
  title: Title.optional(),
});

const UploadCreated = z
  .object({
    uploadId: z.string(),
    trackId: z.string(),
    partSize: z.number().int().openapi({ description: "Every part but the last is exactly this many bytes" }),
    partCount: z.number().int(),
    size: z.number().int(),
  })
  .openapi("UploadCreated");

const PartSchema = z.object({ part: z.number().int(), etag: z.string(), size: z.number().int() }).openapi("UploadPart");

const UploadState = UploadCreated.extend({
  status: z.enum(UPLOAD_STATUSES),
  mimeType: z.string().nullable(),
  parts: z.array(PartSchema),
}).openapi("Upload");

const UploadParams = z.object({ uploadId: IdParam });
const PartParams = UploadParams.extend({ n: z.coerce.number().int().min(1).max(10_000) });
const notYours = { 404: errorResponse("No such upload of yours") };

const create = createRoute({
  ...endpoint("post", "/uploads", "uploads"),
  summary: "Start an upload: creates the track (uploading) and an R2 multipart upload",
  request: jsonBody(CreateUploadBody),
  ...signedIn({
    201: jsonResponse(UploadCreated, "Send the parts next"),
    403: errorResponse("The email address is not verified yet (email_unverified)"),
    413: errorResponse("Larger than MAX_UPLOAD_BYTES (file_too_large), or past the storage quota (quota_exceeded)"),
  }),
});

const putPartRoute = createRoute({
  ...endpoint("put", "/uploads/{uploadId}/parts/{n}", "uploads"),
  summary: "Send part n (raw bytes); re-sending a part replaces it",
  request: {
    params: PartParams,
    body: { content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
  },
  ...signedIn({
    200: jsonResponse(PartSchema, "Stored"),
    409: errorResponse("The upload is already complete"),
    415: errorResponse("Part 1 is not a supported audio file; the upload was discarded"),
    ...notYours,
  }),
});

const getUpload = createRoute({
  ...endpoint("get", "/uploads/{uploadId}", "uploads"),
  summary: "Resume: the upload and the parts received so far",
  request: { params: UploadParams },
  ...signedIn({ 200: jsonResponse(UploadState, "The upload"), ...notYours }),
});

const complete = createRoute({
  ...endpoint("post", "/uploads/{uploadId}/complete", "uploads"),
  summary: "Assemble the parts, verify the file, queue the transcode",
  request: { params: UploadParams },
  ...signedIn({
    202: jsonResponse(z.object({ track: TrackSchema }), "The track, now processing"),
    409: errorResponse("Storage could not assemble the parts as recorded; re-send them"),
    415: errorResponse("Not a supported audio file; the upload was discarded"),
    ...notYours,
  }),
});

const abort = createRoute({
  ...endpoint("delete", "/uploads/{uploadId}", "uploads"),
  summary: "Abort an unfinished upload and discard its track",
  request: { params: UploadParams },
  ...signedIn({
    204: { description: "Aborted" },
    409: errorResponse("The upload is already complete"),
    ...notYours,
  }),
});

function describe(upload: UploadRow) {
  return {
    uploadId: upload.id,
    trackId: upload.trackId,
    partSize: upload.partSize,
    partCount: partCountOf(upload),
    size: upload.size,
  };
}

const StorageUsageSchema = z
  .object({
    usedBytes: z.number().int().openapi({ description: "Originals stored plus uploads in progress" }),
    quotaBytes: z.number().int(),
  })
  .openapi("StorageUsage");

const storage = createRoute({
  ...endpoint("get", "/me/storage", "uploads"),
  summary: "How much of the upload quota the signed-in user uses",
  ...signedIn({ 200: jsonResponse(StorageUsageSchema, "Usage and quota in bytes") }),
});

export const uploadRoutes = createRouter()
  .openapi(storage, async (c) => c.json(await storageUsage(c.env, c.var.viewer.id), 200))
  .openapi(create, async (c) => {
    const user = c.var.viewer;
    assertEmailVerified(user);
    await enforceRateLimit(c.env, "upload:user", user.id);
    const upload = await createUpload(c.env, user.id, c.req.valid("json"));
    return c.json(describe(upload), 201);
  })
  .openapi(putPartRoute, async (c) => {
    const { uploadId, n } = c.req.valid("param");
    const upload = await getOwnUpload(c.env, c.var.viewer.id, uploadId);
    return c.json(await putPart(c.env, upload, n, c.req.raw), 200);
  })
  .openapi(getUpload, async (c) => {
    const upload = await getOwnUpload(c.env, c.var.viewer.id, c.req.valid("param").uploadId);
    const parts = await listParts(c.env, upload.id);
    return c.json({ ...describe(upload), status: upload.status, mimeType: upload.mimeType, parts }, 200);
  })
  .openapi(complete, async (c) => {
    const upload = await getOwnUpload(c.env, c.var.viewer.id, c.req.valid("param").uploadId);
    await completeUpload(c.env, upload);
    const found = await getTrackWithOwner(c.var.db, upload.trackId);
    if (!found) throw notFound("Track");
    return c.json({ track: await trackResponseOf(c.var.db, found.track, found.owner) }, 202);
  })
  .openapi(abort, async (c) => {
    const upload = await getOwnUpload(c.env, c.var.viewer.id, c.req.valid("param").uploadId);
    await abortUpload(c.env, upload);
    return c.body(null, 204);
  });
