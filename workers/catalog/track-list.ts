import { and, desc, eq, type SQL } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { tracks, users } from "../db/schema/index.ts";
import { type CursorKey, pageFrom } from "../shared/cursor.ts";
import { afterCursor } from "./keyset.ts";
import type { TrackResponse } from "./schemas.ts";
import { likedSet, type TrackOwner, type TrackRow, toTrackResponse, trackWithOwnerColumns } from "./tracks.ts";

/** Track responses for rows already fetched, with `likedByMe` for a signed-in viewer (one query). */
export async function toTrackResponses(
  db: Db,
  viewerId: string | undefined,
  rows: { track: TrackRow; owner: TrackOwner }[],
): Promise<TrackResponse[]> {
  const liked = await likedSet(
    db,
    viewerId,
    rows.map((r) => r.track.id),
  );
  return rows.map((r) => toTrackResponse(r.track, r.owner, viewerId ? liked.has(r.track.id) : undefined));
}

/** Newest first, keyset-paginated on (createdAt, id): inserts between pages never repeat or skip an item. */
export async function newestTracksPage(
  db: Db,
  viewerId: string | undefined,
  conditions: (SQL | undefined)[],
  cursor: CursorKey | undefined,
  limit: number,
) {
  const rows = await db
    .select(trackWithOwnerColumns)
    .from(tracks)
    .innerJoin(users, eq(users.id, tracks.ownerId))
    .where(and(...conditions, afterCursor(tracks.createdAt, tracks.id, cursor)))
    .orderBy(desc(tracks.createdAt), desc(tracks.id))
    .limit(limit + 1);
  const page = pageFrom(rows, limit, (r) => ({ k: r.track.createdAt, id: r.track.id }));
  return { items: await toTrackResponses(db, viewerId, page.items), nextCursor: page.nextCursor };
}
