import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { ensureArtistRole } from "../auth/users.ts";
import { deleteTrack } from "../catalog/track-delete.ts";
import { createTrackDraft, setTrackStatus } from "../catalog/tracks.ts";
import { getDb } from "../db/client.ts";
import { uploadParts, uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { ApiError, conflict, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { readBodyCapped } from "./body.ts";
import { originalKey } from "./keys.ts";
import { type AudioType, id3Length, SNIFF_BYTES, sniffAudioFile } from "./sniff.ts";
import { abortMultipart, deleteTrackMedia, digestObject, readRange } from "./storage.ts";
import { transcodeMessage } from "./transcode-message.ts";

export type UploadRow = typeof uploads.$inferSelect;

const MiB = 1024 * 1024;
/** R2: every part but the last at least 5 MiB (8 MiB here), at most 10,000 parts. */
export const DEFAULT_PART_SIZE = 8 * MiB;
export const MAX_PARTS = 10_000;
export const DEFAULT_MAX_UPLOAD_BYTES = 500 * MiB;

export const DEFAULT_STORAGE_QUOTA_BYTES = 10 * 1024 * MiB;

const positiveInteger = (value: string | undefined, fallback: number) => {
  const configured = Number(value);
  return Number.isSafeInteger(configured) && configured > 0 ? configured : fallback;
};

export function maxUploadBytes(env: Pick<Env, "MAX_UPLOAD_BYTES">): number {
  return positiveInteger(env.MAX_UPLOAD_BYTES, DEFAULT_MAX_UPLOAD_BYTES);
}

export function storageQuotaBytes(env: Pick<Env, "STORAGE_QUOTA_BYTES">): number {
  return positiveInteger(env.STORAGE_QUOTA_BYTES, DEFAULT_STORAGE_QUOTA_BYTES);
}

export type StorageUsage = { usedBytes: number; quotaBytes: number };

/** What the user stores, from the sizes recorded in D1: completed originals plus uploads in progress (declared size). */
export async function storageUsage(
  env: Pick<Env, "DB" | "STORAGE_QUOTA_BYTES">,
  userId: string,
): Promise<StorageUsage> {
  const row = await getDb(env.DB)
    .select({ used: sql<number>`coalesce(sum(${uploads.size}), 0)` })
    .from(uploads)
    .where(and(eq(uploads.userId, userId), inArray(uploads.status, ["uploading", "completed"])))
    .get();
  return { usedBytes: Number(row?.used ?? 0), quotaBytes: storageQuotaBytes(env) };
}

/** 8 MiB, or the smallest whole number of MiB that keeps the file within 10,000 parts. */
export function partSizeFor(size: number): number {
  return Math.max(DEFAULT_PART_SIZE, Math.ceil(size / MAX_PARTS / MiB) * MiB);
}

export const partCountOf = (upload: Pick<UploadRow, "size" | "partSize">) =>
  Math.max(1, Math.ceil(upload.size / upload.partSize));

function expectedPartSize(upload: Pick<UploadRow, "size" | "partSize">, part: number): number {
  const count = partCountOf(upload);
  return part < count ? upload.partSize : upload.size - (count - 1) * upload.partSize;
}

const unsupported = (what: string) =>
  new ApiError(
    415,
    "unsupported_media_type",
    `${what} is not a supported audio file (MP3, FLAC, WAV, AAC/M4A, Ogg Vorbis/Opus, AIFF). The upload was discarded.`,
  );

/** The title an upload gets when none is given: its file name without the extension. */
export const titleFromFilename = (filename: string) => filename.replace(/\.[^.]*$/, "");

export type NewUpload = { filename: string; size: number; contentType: string; title?: string };

export async function createUpload(env: Env, userId: string, input: NewUpload): Promise<UploadRow> {
  const max = maxUploadBytes(env);
  if (input.size > max) {
    throw new ApiError(413, "file_too_large", `Uploads are limited to ${max} bytes; this file has ${input.size}.`, {
      maxBytes: max,
    });
  }
  const { usedBytes, quotaBytes } = await storageUsage(env, userId);
  if (usedBytes + input.size > quotaBytes) {
    throw new ApiError(
      413,
      "quota_exceeded",
      `This file (${input.size} bytes) does not fit in your storage: ${usedBytes} of ${quotaBytes} bytes are used. Delete tracks to make room.`,
      { used: usedBytes, quota: quotaBytes, size: input.size },
    );
  }
  const db = getDb(env.DB);
  const title = input.title ?? titleFromFilename(input.filename);
  const track = await createTrackDraft(db, { ownerId: userId, title, status: "uploading" });
  const key = originalKey(track.id);
  try {
    const multipart = await env.MEDIA.createMultipartUpload(key, { customMetadata: { trackId: track.id, userId } });
    const now = Date.now();
    return await db
      .insert(uploads)
      .values({
        id: newId(now),
        trackId: track.id,
        userId,
        r2UploadId: multipart.uploadId,
        objectKey: key,
        filename: input.filename,
        declaredType: input.contentType,
        size: input.size,
        partSize: partSizeFor(input.size),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
  } catch (error) {
    await deleteTrack(db, track.id);
    throw error;
  }
}

/** The caller's own upload; someone else's is indistinguishable from a missing one. */
export async function getOwnUpload(env: Env, userId: string, uploadId: string): Promise<UploadRow> {
  const row = await getDb(env.DB).select().from(uploads).where(eq(uploads.id, uploadId)).get();
  if (!row || row.userId !== userId) throw notFound("Upload");
  return row;
}

export async function listParts(env: Env, uploadId: string) {
  return getDb(env.DB)
    .select({ part: uploadParts.part, etag: uploadParts.etag, size: uploadParts.size })
    .from(uploadParts)
    .where(eq(uploadParts.uploadId, uploadId))
    .orderBy(asc(uploadParts.part));
}

function requireOpen(upload: UploadRow): void {
  if (upload.status !== "uploading") throw conflict("upload_completed", "This upload is already complete.");
}

/** Aborts the R2 upload and removes the track with everything stored for it (the upload rows cascade). */
export async function discardUpload(env: Env, upload: Pick<UploadRow, "trackId" | "objectKey" | "r2UploadId">) {
  await abortMultipart(env, upload);
  await deleteTrackMedia(env, upload.trackId);
  await deleteTrack(getDb(env.DB), upload.trackId);
}

/** The client gave up: abort the R2 upload and discard the draft track. */
export async function abortUpload(env: Env, upload: UploadRow): Promise<void> {
  requireOpen(upload);
  await discardUpload(env, upload);
}

/** Stores part `part` (replacing an earlier copy of it). Part 1 is sniffed: a non-audio file is discarded at once. */
export async function putPart(env: Env, upload: UploadRow, part: number, request: Request) {
  requireOpen(upload);
  const count = partCountOf(upload);
  if (!Number.isInteger(part) || part < 1 || part > count) {
    throw new ApiError(400, "invalid_part_number", `Part numbers for this upload run from 1 to ${count}.`);
  }
  const expected = expectedPartSize(upload, part);
  const wrongSize = (actual?: number) =>
    new ApiError(
      400,
      "invalid_part_size",
      `Part ${part} must be exactly ${expected} bytes${actual === undefined ? "" : `, not ${actual}`}.`,
      { expected, partSize: upload.partSize },
    );
  const bytes = await readBodyCapped(request, expected, () => wrongSize());
  if (bytes.byteLength !== expected) throw wrongSize(bytes.byteLength);

  const db = getDb(env.DB);
  let sniffed: AudioType | undefined;
  // Part 1 is checked now, unless a leading ID3 tag fills it (then complete checks the whole file).
  const tagEnd = part === 1 ? id3Length(bytes) : undefined;
  if (part === 1 && !(tagEnd !== undefined && tagEnd >= bytes.byteLength)) {
    sniffed = await sniffAudioFile(bytes.subarray(0, SNIFF_BYTES), async (offset, length) =>
      bytes.subarray(offset, offset + length),
    );
    if (!sniffed) {
      await discardUpload(env, upload);
      throw unsupported(`"${upload.filename}"`);
    }
  }
  const uploaded = await env.MEDIA.resumeMultipartUpload(upload.objectKey, upload.r2UploadId).uploadPart(part, bytes);
  const now = Date.now();
  await db.batch([
    db
      .insert(uploadParts)
      .values({ uploadId: upload.id, part, etag: uploaded.etag, size: bytes.byteLength, createdAt: now })
      .onConflictDoUpdate({
        target: [uploadParts.uploadId, uploadParts.part],
        set: { etag: uploaded.etag, size: bytes.byteLength, createdAt: now },
      }),
    db
      .update(uploads)
      .set({ updatedAt: now, ...(sniffed ? { mimeType: sniffed.mime } : {}) })
      .where(eq(uploads.id, upload.id)),
  ]);
  return { part, etag: uploaded.etag, size: bytes.byteLength };
}

/**
 * Completes the R2 upload, re-checks the whole object (type from its first bytes, size, SHA-256 in
 * one streaming pass), marks the track `processing` and queues the transcode. Calling it again on a
 * completed upload is harmless and returns the same track.
 */
export async function completeUpload(env: Env, upload: UploadRow) {
  const db = getDb(env.DB);
  if (upload.status === "completed") return upload;

  const parts = await listParts(env, upload.id);
  const count = partCountOf(upload);
  const have = new Set(parts.map((p) => p.part));
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((n) => !have.has(n));
  const received = parts.reduce((sum, p) => sum + p.size, 0);
  if (missing.length > 0 || received !== upload.size) {
    throw new ApiError(
      400,
      "incomplete_upload",
      `Received ${received} of ${upload.size} bytes; missing parts: ${missing.join(", ") || "none"}.`,
      { missing: missing.slice(0, 100), received, size: upload.size },
    );
  }

  try {
    await env.MEDIA.resumeMultipartUpload(upload.objectKey, upload.r2UploadId).complete(
      parts.map((p) => ({ partNumber: p.part, etag: p.etag })),
    );
  } catch {
    // A retried complete after R2 already assembled the object (the first attempt failed later on)…
    const existing = await env.MEDIA.head(upload.objectKey);
    // …or R2 holds other bytes for a part than the etag we recorded (two copies of it raced).
    if (existing?.size !== upload.size) {
      throw conflict("parts_mismatch", "Storage could not assemble the parts; send them again, then complete.");
    }
  }

  const digest = await digestObject(env, upload.objectKey);
  const sniffed =
    digest && (await sniffAudioFile(digest.head, (offset, length) => readRange(env, upload.objectKey, offset, length)));
  if (!digest || digest.size !== upload.size || !sniffed) {
    await discardUpload(env, upload);
    throw unsupported(`"${upload.filename}"`);
  }

  const now = Date.now();
  await db
    .update(uploads)
    .set({ status: "completed", mimeType: sniffed.mime, sha256: digest.sha256, completedAt: now, updatedAt: now })
    .where(and(eq(uploads.id, upload.id), eq(uploads.status, "uploading")));
  await setTrackStatus(db, upload.trackId, { status: "processing", from: "uploading" });
  try {
    await env.TRANSCODE_QUEUE.send(transcodeMessage(upload.trackId, upload.objectKey, upload.userId, now));
  } catch (error) {
    // Without a queued job the track would sit in `processing` forever: reopen so the client can retry.
    await db.update(uploads).set({ status: "uploading" }).where(eq(uploads.id, upload.id));
    await setTrackStatus(db, upload.trackId, { status: "uploading", from: "processing" });
    throw error;
  }
  await ensureArtistRole(env.DB, upload.userId);
  return { ...upload, status: "completed" as const, mimeType: sniffed.mime, sha256: digest.sha256, completedAt: now };
}
