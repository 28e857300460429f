import { createRoute, z } from "@hono/zod-openapi";
import { and, count, desc, eq } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { maybeSignedIn, signedIn } from "../auth/route-presets.ts";
import { avatarUrl } from "../auth/users.ts";
import type { Db } from "../db/client.ts";
import { follows, tracks, userStats, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { ApiError } from "../shared/errors.ts";
import { afterCursor } from "../shared/keyset.ts";
import { createRouter, errorResponse, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { findProfileUser, type UserRow } from "./access.ts";
import { ProfileSchema, UserSummarySchema } from "./schemas.ts";
import { canEditTrack } from "./visibility.ts";
import { listableSql } from "./visibility-sql.ts";

const UsernameParams = z.object({ username: z.string().min(1).max(60) });
const FollowState = z.object({ following: z.boolean(), followerCount: z.number().int() }).openapi("FollowState");
const FollowEntry = UserSummarySchema.extend({ followedAt: z.string() }).openapi("FollowEntry");

export function toUserSummary(row: Pick<UserRow, "id" | "username" | "displayName" | "avatarKey" | "updatedAt">) {
  return { id: row.id, username: row.username, displayName: row.displayName, avatarUrl: avatarUrl(row) };
}

const getProfile = createRoute({
  method: "get",
  path: "/users/{username}",
  tags: ["profiles"],
  request: { params: UsernameParams },
  ...maybeSignedIn({
    200: jsonResponse(ProfileSchema, "The public profile"),
    404: errorResponse("No such user"),
  }),
});

function followRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/users/{username}/follow",
    tags: ["profiles"],
    request: { params: UsernameParams },
    ...signedIn({
      200: jsonResponse(FollowState, "The follow state after the change (idempotent)"),
      404: errorResponse("No such user"),
    }),
  });
}

function followListRoute(which: "followers" | "following") {
  return createRoute({
    method: "get",
    path: `/users/{username}/${which}`,
    tags: ["profiles"],
    summary: which === "followers" ? "Who follows this user, newest first" : "Whom this user follows, newest first",
    request: { params: UsernameParams, query: PageQuery },
    ...maybeSignedIn({
      200: jsonResponse(pageOf(FollowEntry), "A page of users"),
      404: errorResponse("No such user"),
    }),
  });
}

async function followerCountOf(db: Db, userId: string): Promise<number> {
  const row = await db.select({ n: userStats.followerCount }).from(userStats).where(eq(userStats.userId, userId)).get();
  return row?.n ?? 0;
}

export const profileRoutes = createRouter()
  .openapi(getProfile, async (c) => {
    const db = c.var.db;
    const viewer = c.var.viewer;
    const user = await findProfileUser(db, c.req.valid("param").username, viewer);
    const trackFilter = canEditTrack({ ownerId: user.id }, viewer)
      ? eq(tracks.ownerId, user.id)
      : and(eq(tracks.ownerId, user.id), listableSql);
    const [stats, trackCount, followed] = await db.batch([
      db.select().from(userStats).where(eq(userStats.userId, user.id)),
      db.select({ n: count() }).from(tracks).where(trackFilter),
      db
        .select({ one: follows.createdAt })
        .from(follows)
        .where(and(eq(follows.followerId, viewer?.id ?? ""), eq(follows.followeeId, user.id))),
    ]);
    return c.json(
      {
        ...toUserSummary(user),
        bio: user.bio,
        role: user.role,
        createdAt: new Date(user.createdAt).toISOString(),
        followerCount: stats[0]?.followerCount ?? 0,
        followingCount: stats[0]?.followingCount ?? 0,
        trackCount: trackCount[0]?.n ?? 0,
        ...(viewer ? { followedByMe: followed.length > 0 } : {}),
      },
      200,
    );
  })
  .openapi(followRoute("post"), async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const target = await findProfileUser(db, c.req.valid("param").username, undefined);
    if (target.id === me.id) throw new ApiError(400, "cannot_follow_self", "You cannot follow yourself.");
    await db
      .insert(follows)
      .values({ followerId: me.id, followeeId: target.id, createdAt: Date.now() })
      .onConflictDoNothing();
    return c.json({ following: true, followerCount: await followerCountOf(db, target.id) }, 200);
  })
  .openapi(followRoute("delete"), async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const target = await findProfileUser(db, c.req.valid("param").username, undefined);
    await db.delete(follows).where(and(eq(follows.followerId, me.id), eq(follows.followeeId, target.id)));
    return c.json({ following: false, followerCount: await followerCountOf(db, target.id) }, 200);
  })
  .openapi(followListRoute("followers"), async (c) => {
    const db = c.var.db;
    const user = await findProfileUser(db, c.req.valid("param").username, c.var.viewer);
    return c.json(await followPage(db, user.id, "followers", c.req.valid("query")), 200);
  })
  .openapi(followListRoute("following"), async (c) => {
    const db = c.var.db;
    const user = await findProfileUser(db, c.req.valid("param").username, c.var.viewer);
    return c.json(await followPage(db, user.id, "following", c.req.valid("query")), 200);
  });

async function followPage(
  db: Db,
  userId: string,
  which: "followers" | "following",
  { cursor, limit }: { cursor?: string; limit: number },
) {
  // followers: rows where the user is followed, listing the followers; following: the reverse.
  const [anchor, other]: [SQLiteColumn, SQLiteColumn] =
    which === "followers" ? [follows.followeeId, follows.followerId] : [follows.followerId, follows.followeeId];
  const rows = await db
    .select({ user: users, followedAt: follows.createdAt })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .where(
      and(eq(anchor, userId), eq(users.status, "active"), afterCursor(follows.createdAt, other, decodeCursor(cursor))),
    )
    .orderBy(desc(follows.createdAt), desc(other))
    .limit(limit + 1);
  const page = pageFrom(rows, limit, (r) => ({ k: r.followedAt, id: r.user.id }));
  return {
    items: page.items.map((r) => ({ ...toUserSummary(r.user), followedAt: new Date(r.followedAt).toISOString() })),
    nextCursor: page.nextCursor,
  };
}
