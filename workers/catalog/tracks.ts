import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { likes, type TrackStatus, trackOutputs, tracks, users, type Visibility } from "../db/schema/index.ts";
import type { Env } from "../env.ts";
import { trackMadePublic } from "../notifications/track-events.ts";
import { newId } from "../shared/ids.ts";
import type { TrackResponse } from "./schemas.ts";

export type TrackRow = typeof tracks.$inferSelect;
export type TrackOwner = { id: string; username: string; displayName: string };

export type TrackDraft = {
  ownerId: string;
  title: string;
  /** Defaults to the owner's display name. */
  artist?: string;
  genre?: string;
  tags?: string[];
  description?: string;
  visibility?: Visibility;
  status?: TrackStatus;
};

/** Cross-domain entry for the upload flow: creates the track row (status `uploading` unless told). */
export async function createTrackDraft(db: Db, draft: TrackDraft): Promise<TrackRow> {
  let artist = draft.artist?.trim();
  if (!artist) {
    const owner = await db
      .select({ displayName: users.displayName })
      .from(users)
      .where(eq(users.id, draft.ownerId))
      .get();
    artist = owner?.displayName ?? "";
  }
  const now = Date.now();
  return db
    .insert(tracks)
    .values({
      id: newId(now),
      ownerId: draft.ownerId,
      title: draft.title.trim() || "Untitled",
      artist,
      genre: draft.genre ?? "",
      tags: normalizeTags(draft.tags ?? []),
      description: draft.description ?? "",
      visibility: draft.visibility ?? "public",
      status: draft.status ?? "uploading",
      createdAt: now,
      updatedAt: now,
    })
    .returning()
    .get();
}

export async function getTrackRow(db: Db, id: string): Promise<TrackRow | undefined> {
  return db.select().from(tracks).where(eq(tracks.id, id)).get();
}

/** The track with the public fields of its owner, as lists and pages need them. */
export async function getTrackWithOwner(db: Db, id: string) {
  return db
    .select(trackWithOwnerColumns)
    .from(tracks)
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .where(eq(tracks.id, id))
    .get();
}

export const trackWithOwnerColumns = {
  track: tracks,
  owner: { id: users.id, username: users.username, displayName: users.displayName, status: users.status },
};

export type TrackStatusChange = {
  status: TrackStatus;
  failureReason?: string | null;
  durationMs?: number | null;
  /** Only move the track if it is currently in this status (guards against out-of-order updates). */
  from?: TrackStatus;
};

/** Cross-domain entry for media/transcoding: moves a track through its lifecycle. */
export async function setTrackStatus(db: Db, id: string, change: TrackStatusChange): Promise<TrackRow | undefined> {
  const values: Partial<TrackRow> = { status: change.status, updatedAt: Date.now() };
  if (change.failureReason !== undefined) values.failureReason = change.failureReason;
  else if (change.status !== "failed") values.failureReason = null;
  if (change.durationMs !== undefined) values.durationMs = change.durationMs;
  const where = change.from ? and(eq(tracks.id, id), eq(tracks.status, change.from)) : eq(tracks.id, id);
  return db.update(tracks).set(values).where(where).returning().get();
}

/** Cross-domain entry for the cover upload: records (or clears) the R2 key of the track's cover. */
export async function setTrackCoverKey(db: Db, id: string, coverKey: string | null): Promise<void> {
  await db.update(tracks).set({ coverKey, updatedAt: Date.now() }).where(eq(tracks.id, id));
}

export function coverUrl(row: Pick<TrackRow, "id" | "coverKey" | "updatedAt">): string | null {
  return row.coverKey ? `/api/v1/tracks/${row.id}/cover?v=${row.updatedAt}` : null;
}

/** What the transcoder measured (EBU R128): null until the track is processed. */
export type Loudness = { loudnessLufs: number | null; gainDb: number | null };
const UNMEASURED: Loudness = { loudnessLufs: null, gainDb: null };

/** The measured loudness of each of `trackIds` that has been processed (chunked: D1 binds at most 100). */
export async function loudnessOf(db: Db, trackIds: string[]): Promise<Map<string, Loudness>> {
  const found = new Map<string, Loudness>();
  for (let i = 0; i < trackIds.length; i += 100) {
    const rows = await db
      .select({ trackId: trackOutputs.trackId, loudnessLufs: trackOutputs.integratedLufs, gainDb: trackOutputs.gainDb })
      .from(trackOutputs)
      .where(inArray(trackOutputs.trackId, trackIds.slice(i, i + 100)));
    for (const { trackId, ...loudness } of rows) found.set(trackId, loudness);
  }
  return found;
}

/** One track's response with its measured loudness (one query); lists use toTrackResponses. */
export async function trackResponseOf(
  db: Db,
  row: TrackRow,
  owner: TrackOwner,
  likedByMe?: boolean,
): Promise<TrackResponse> {
  return toTrackResponse(row, owner, (await loudnessOf(db, [row.id])).get(row.id), likedByMe);
}

export function toTrackResponse(
  row: TrackRow,
  owner: TrackOwner,
  loudness: Loudness | undefined,
  likedByMe?: boolean,
): TrackResponse {
  return {
    id: row.id,
    title: row.title,
    artist: row.artist,
    owner: { id: owner.id, username: owner.username, displayName: owner.displayName },
    status: row.status,
    failureReason: row.failureReason,
    durationMs: row.durationMs,
    visibility: row.visibility,
    downloadable: row.downloadable,
    genre: row.genre,
    tags: row.tags,
    description: row.description,
    coverUrl: coverUrl(row),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    likeCount: row.likeCount,
    playCount: row.playCount,
    commentCount: row.commentCount,
    ...(loudness ?? UNMEASURED),
    ...(likedByMe === undefined ? {} : { likedByMe }),
  };
}

/** The subset of `ids` that are tracks (chunked: D1 binds at most 100 parameters per query). */
export async function existingTrackIds(db: Db, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 100) {
    const rows = await db
      .select({ id: tracks.id })
      .from(tracks)
      .where(inArray(tracks.id, ids.slice(i, i + 100)));
    for (const row of rows) found.add(row.id);
  }
  return found;
}

/** Lowercased, trimmed, deduplicated tags, in their first order. */
export function normalizeTags(tags: string[]): string[] {
  return [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** The subset of `trackIds` the user has liked (for `likedByMe` on a page of tracks). */
export async function likedSet(db: Db, userId: string | undefined, trackIds: string[]): Promise<Set<string>> {
  if (!userId || trackIds.length === 0) return new Set();
  const rows = await db
    .select({ trackId: likes.trackId })
    .from(likes)
    .where(and(eq(likes.userId, userId), inArray(likes.trackId, trackIds)));
  return new Set(rows.map((r) => r.trackId));
}

export type TrackChanges = Partial<
  Pick<TrackRow, "title" | "artist" | "genre" | "tags" | "description" | "visibility" | "downloadable">
>;

/** Applies an edit to a track the caller has already checked the viewer may edit (editableTrack). */
export async function updateTrack(
  env: Env,
  db: Db,
  viewer: { id: string },
  { track, owner }: { track: TrackRow; owner: TrackOwner },
  changes: TrackChanges,
): Promise<TrackResponse> {
  // A visibility change moves the media version on: public URLs and edge-cache entries made before stop matching.
  const visibilityChanged = changes.visibility !== undefined && changes.visibility !== track.visibility;
  const updated = await db
    .update(tracks)
    .set({
      ...changes,
      ...(changes.tags ? { tags: normalizeTags(changes.tags) } : {}),
      ...(visibilityChanged ? { mediaVersion: track.mediaVersion + 1 } : {}),
      updatedAt: Date.now(),
    })
    .where(eq(tracks.id, track.id))
    .returning()
    .get();
  if (updated && visibilityChanged) await trackMadePublic(env, updated);
  const liked = (await likedSet(db, viewer.id, [track.id])).has(track.id);
  return trackResponseOf(db, updated ?? track, owner, liked);
}
