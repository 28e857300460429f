import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, gt, inArray } from "drizzle-orm";
import { signedIn } from "../auth/route-presets.ts";
import { findProfileUser } from "../catalog/access.ts";
import { followeeIdsSql, isFollowing } from "../catalog/follow-queries.ts";
import { getTrackWithOwner } from "../catalog/tracks.ts";
import { canViewTrack, type Viewer } from "../catalog/visibility.ts";
import type { Db } from "../db/client.ts";
import { userStatus, users } from "../db/schema/index.ts";
import { notFound } from "../shared/errors.ts";
import { createRouter, errorResponse, jsonBody, jsonResponse, pageOf } from "../shared/openapi.ts";

/** Online means a heartbeat within this long (the app sends one a minute while open). */
export const ONLINE_WINDOW_MS = 150_000;
/** A heartbeat that changes nothing is written at most this often. */
const HEARTBEAT_WRITE_MS = 60_000;

const StatusTrack = z.object({ id: z.string(), title: z.string(), artist: z.string() });
const StatusSchema = z
  .object({
    userId: z.string(),
    username: z.string(),
    displayName: z.string(),
    online: z.boolean(),
    lastSeenAt: z.string().nullable(),
    /** What they are playing, if they show it and the viewer may see the track. */
    track: StatusTrack.nullable(),
  })
  .openapi("UserStatus");

const SetStatusBody = z
  .object({ trackId: z.string().min(1).max(64).nullable().optional(), hidden: z.boolean().optional() })
  .openapi("SetStatus");

const setRoute = createRoute({
  method: "put",
  path: "/me/status",
  tags: ["chat"],
  summary: "Heartbeat and what I am playing (hidden: followers see me offline)",
  request: jsonBody(SetStatusBody),
  ...signedIn({
    200: jsonResponse(z.object({ hidden: z.boolean(), trackId: z.string().nullable() }), "Stored"),
  }),
});

const followingRoute = createRoute({
  method: "get",
  path: "/me/following/status",
  tags: ["chat"],
  summary: "Who I follow that is online now, and what they play: read on demand, one query",
  ...signedIn({ 200: jsonResponse(pageOf(StatusSchema), "Online people I follow (up to 100)") }),
});

const userRoute = createRoute({
  method: "get",
  path: "/users/{username}/status",
  tags: ["chat"],
  summary: "A user's status, for their followers (and themselves)",
  request: { params: z.object({ username: z.string().min(1).max(60) }) },
  ...signedIn({
    200: jsonResponse(StatusSchema, "The status"),
    404: errorResponse("No such user, or the caller does not follow them"),
  }),
});

type StatusRow = {
  userId: string;
  username: string;
  displayName: string;
  lastSeenAt: number | null;
  trackId: string | null;
  hidden: boolean | null;
};

async function toStatus(db: Db, row: StatusRow, viewer: Viewer, now: number) {
  const shown = !row.hidden && row.lastSeenAt !== null;
  const online = shown && now - (row.lastSeenAt as number) < ONLINE_WINDOW_MS;
  let track: z.infer<typeof StatusTrack> | null = null;
  if (online && row.trackId) {
    const found = await getTrackWithOwner(db, row.trackId);
    if (found && canViewTrack(found.track, found.owner, viewer))
      track = { id: found.track.id, title: found.track.title, artist: found.track.artist };
  }
  return {
    userId: row.userId,
    username: row.username,
    displayName: row.displayName,
    online,
    lastSeenAt: shown ? new Date(row.lastSeenAt as number).toISOString() : null,
    track,
  };
}

const statusColumns = {
  userId: users.id,
  username: users.username,
  displayName: users.displayName,
  lastSeenAt: userStatus.lastSeenAt,
  trackId: userStatus.trackId,
  hidden: userStatus.hidden,
};

/**
 * Global status. A status change is one row write, whatever the follower count; followers read
 * the statuses of the people they follow when they look (one indexed query), never pushed to.
 */
export const statusRoutes = createRouter()
  .openapi(setRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const body = c.req.valid("json");
    const now = Date.now();
    const current = await db.select().from(userStatus).where(eq(userStatus.userId, me.id)).get();
    const next = {
      trackId: body.trackId === undefined ? (current?.trackId ?? null) : body.trackId,
      hidden: body.hidden ?? current?.hidden ?? false,
    };
    const changed = !current || current.trackId !== next.trackId || current.hidden !== next.hidden;
    if (changed || now - current.lastSeenAt >= HEARTBEAT_WRITE_MS) {
      await db
        .insert(userStatus)
        .values({ userId: me.id, lastSeenAt: now, ...next, updatedAt: now })
        .onConflictDoUpdate({ target: userStatus.userId, set: { lastSeenAt: now, ...next, updatedAt: now } });
    }
    return c.json(next, 200);
  })
  .openapi(followingRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const now = Date.now();
    const rows = await db
      .select(statusColumns)
      .from(userStatus)
      .innerJoin(users, eq(users.id, userStatus.userId))
      .where(
        and(
          inArray(userStatus.userId, followeeIdsSql(me.id)),
          eq(userStatus.hidden, false),
          gt(userStatus.lastSeenAt, now - ONLINE_WINDOW_MS),
        ),
      )
      .orderBy(desc(userStatus.lastSeenAt))
      .limit(100);
    const viewer = c.var.viewer;
    const items = await Promise.all(rows.map((row) => toStatus(db, row, viewer, now)));
    return c.json({ items, nextCursor: null }, 200);
  })
  .openapi(userRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const user = await findProfileUser(db, c.req.valid("param").username, c.var.viewer);
    if (user.id !== me.id && !(await isFollowing(db, me.id, user.id))) throw notFound("Status");
    const row = await db
      .select(statusColumns)
      .from(users)
      .leftJoin(userStatus, eq(userStatus.userId, users.id))
      .where(eq(users.id, user.id))
      .get();
    if (!row) throw notFound("User");
    return c.json(await toStatus(db, row, c.var.viewer, Date.now()), 200);
  });
