import { eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { users } from "../db/schema/index.ts";
import { forbidden, notFound } from "../shared/errors.ts";
import { getTrackWithOwner } from "./tracks.ts";
import { canEditTrack, canViewTrack, type Viewer } from "./visibility.ts";

export type UserRow = typeof users.$inferSelect;

/** The user with that username; disabled accounts are gone for everyone but admins. */
export async function findProfileUser(db: Db, username: string, viewer: Viewer): Promise<UserRow> {
  const row = await db.select().from(users).where(eq(users.username, username.toLowerCase())).get();
  if (!row || (row.status !== "active" && viewer?.role !== "admin")) throw notFound("User");
  return row;
}

/** The track if the viewer may open it; a track they may not see is answered as missing. */
export async function viewableTrack(db: Db, id: string, viewer: Viewer) {
  const found = await getTrackWithOwner(db, id);
  if (!found || !canViewTrack(found.track, found.owner, viewer)) throw notFound("Track");
  return found;
}

/** The track if the viewer may change it: 404 when they cannot see it, 403 when they only can see it. */
export async function editableTrack(db: Db, id: string, viewer: Viewer) {
  const found = await viewableTrack(db, id, viewer);
  if (!canEditTrack(found.track, viewer)) throw forbidden("Only the track's owner can change it.");
  return found;
}
