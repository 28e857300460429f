import { eq } from "drizzle-orm";
import { getPlaylist } from "../catalog/playlists.ts";
import { getTrackWithOwner } from "../catalog/tracks.ts";
import { canViewPlaylist, canViewTrack, type Viewer } from "../catalog/visibility.ts";
import { getDb } from "../db/client.ts";
import { roomMembers, rooms, users } from "../db/schema/index.ts";
import { ApiError } from "../shared/errors.ts";
import type { SharedCard } from "./protocol.ts";

/** Anyone signed in may join a public room, so what is shared there must be visible to anyone. */
const ANY_LISTENER: Viewer = { id: "", role: "listener" };
/** Looks the item up whatever its visibility; who may see it is decided per member below. */
const LOOKUP: Viewer = { id: "", role: "admin" };

/** The viewers a share must be visible to: every member, and for a public room anyone at all. */
async function audienceOf(d1: D1Database, roomId: string): Promise<Viewer[]> {
  const db = getDb(d1);
  const room = await db.select({ kind: rooms.kind }).from(rooms).where(eq(rooms.id, roomId)).get();
  if (!room) return [];
  const members = await db
    .select({ id: users.id, role: users.role })
    .from(roomMembers)
    .innerJoin(users, eq(users.id, roomMembers.userId))
    .where(eq(roomMembers.roomId, roomId));
  return room.kind === "public" ? [...members, ANY_LISTENER] : members;
}

/** The card for a shared track or playlist, or undefined when someone in the room may not see it. */
export async function resolveShare(
  env: { DB: D1Database },
  roomId: string,
  share: { kind: "track" | "playlist"; id: string },
): Promise<SharedCard | undefined> {
  const audience = await audienceOf(env.DB, roomId);
  if (audience.length === 0) return undefined;
  const db = getDb(env.DB);
  if (share.kind === "track") {
    const found = await getTrackWithOwner(db, share.id);
    if (!found || !audience.every((viewer) => canViewTrack(found.track, found.owner, viewer))) return undefined;
    const { track } = found;
    return { kind: "track", id: track.id, title: track.title, artist: track.artist, durationMs: track.durationMs };
  }
  try {
    const found = await getPlaylist(db, share.id, LOOKUP);
    if (!audience.every((viewer) => canViewPlaylist(found.playlist, { status: found.ownerStatus }, viewer)))
      return undefined;
    return { kind: "playlist", id: found.playlist.id, title: found.playlist.title, owner: found.owner.username };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return undefined;
    throw error;
  }
}
