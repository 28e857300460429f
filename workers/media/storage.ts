import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { uploads } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { albumPrefix, trackPrefix } from "./keys.ts";
import { SNIFF_BYTES } from "./sniff.ts";

export type OpenMultipart = { objectKey: string; r2UploadId: string };

/** The track's R2 multipart upload while it is still open. Cross-domain entry for track deletion (read it before the row goes). */
export function openMultipartOf(db: Db, trackId: string): Promise<OpenMultipart | undefined> {
  return db
    .select({ objectKey: uploads.objectKey, r2UploadId: uploads.r2UploadId })
    .from(uploads)
    .where(and(eq(uploads.trackId, trackId), eq(uploads.status, "uploading")))
    .get();
}

/** Aborts an R2 multipart upload, so its parts stop taking space; one already completed, aborted or expired is fine. */
export async function abortMultipart(env: Pick<Env, "MEDIA">, upload: OpenMultipart): Promise<void> {
  try {
    await env.MEDIA.resumeMultipartUpload(upload.objectKey, upload.r2UploadId).abort();
  } catch {
    // Nothing left to abort.
  }
}

/** Deletes every object of a track (original, user cover, renditions). Cross-domain entry for track deletion. */
export function deleteTrackMedia(env: Pick<Env, "MEDIA">, trackId: string): Promise<void> {
  return deleteObjectsUnder(env, trackPrefix(trackId));
}

/** Deletes an album's objects (its cover). Cross-domain entry for album deletion. */
export function deleteAlbumMedia(env: Pick<Env, "MEDIA">, albumId: string): Promise<void> {
  return deleteObjectsUnder(env, albumPrefix(albumId));
}

export async function deleteObjectsUnder(env: Pick<Env, "MEDIA">, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await env.MEDIA.list({ prefix, cursor, limit: 1000 });
    if (page.objects.length > 0) await env.MEDIA.delete(page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
}

export type ObjectDigest = { size: number; sha256: string; head: Uint8Array };

/**
 * One streaming pass over an object: its SHA-256 (crypto.DigestStream, constant memory) and its first
 * SNIFF_BYTES for re-checking the type. Undefined when the object does not exist.
 */
export async function digestObject(env: Pick<Env, "MEDIA">, key: string): Promise<ObjectDigest | undefined> {
  const object = await env.MEDIA.get(key);
  if (!object) return undefined;
  const digest = new crypto.DigestStream("SHA-256");
  const writer = digest.getWriter();
  const head = new Uint8Array(Math.min(SNIFF_BYTES, object.size));
  let filled = 0;
  const reader = object.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (filled < head.length) {
      const take = value.subarray(0, head.length - filled);
      head.set(take, filled);
      filled += take.byteLength;
    }
    await writer.write(value);
  }
  await writer.close();
  const sha256 = [...new Uint8Array(await digest.digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { size: object.size, sha256, head };
}

/** Up to `length` bytes of an object from `offset` (empty when it is missing or shorter). */
export async function readRange(env: Pick<Env, "MEDIA">, key: string, offset: number, length: number) {
  try {
    const object = await env.MEDIA.get(key, { range: { offset, length } });
    return object ? new Uint8Array(await object.arrayBuffer()) : new Uint8Array(0);
  } catch {
    return new Uint8Array(0); // a range past the end of the object
  }
}
