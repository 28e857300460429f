import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { signedIn } from "../auth/route-presets.ts";
import { findProfileUser } from "../catalog/access.ts";
import { roomMembers, rooms, userBlocks } from "../db/schema/index.ts";
import { ApiError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { createRouter, errorResponse, jsonResponse } from "../shared/openapi.ts";
import { roomListItem } from "./room-list.ts";
import { roomStub } from "./room-stub.ts";
import { blockedBetween, dmKeyOf, roomRef } from "./rooms.ts";
import { RoomListItemSchema } from "./schemas.ts";

const UsernameParam = z.object({ username: z.string().min(1).max(60) });

const dmRoute = createRoute({
  method: "post",
  path: "/dms/{username}",
  tags: ["chat"],
  summary: "The one direct-message room between the caller and that user (created on first call, from either side)",
  request: { params: UsernameParam },
  ...signedIn({
    200: jsonResponse(RoomListItemSchema, "The existing DM room"),
    201: jsonResponse(RoomListItemSchema, "The DM room, just created"),
    403: errorResponse("One of the two has blocked the other"),
    404: errorResponse("No such user"),
  }),
});

function blockRoute(method: "post" | "delete") {
  return createRoute({
    method,
    path: "/users/{username}/block",
    tags: ["chat"],
    summary: method === "post" ? "Block a user: no DMs either way" : "Unblock a user",
    request: { params: UsernameParam },
    ...signedIn({
      200: jsonResponse(z.object({ blocked: z.boolean() }), "The block state after the change (idempotent)"),
      404: errorResponse("No such user"),
    }),
  });
}

export const dmRoutes = createRouter()
  .openapi(dmRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const other = await findProfileUser(db, c.req.valid("param").username, undefined);
    if (other.id === me.id) throw new ApiError(400, "validation_failed", "You cannot message yourself.");
    if (await blockedBetween(db, me.id, other.id)) {
      throw new ApiError(403, "blocked", "You cannot message this user.");
    }
    const dmKey = dmKeyOf(me.id, other.id);
    let room = await db.select().from(rooms).where(eq(rooms.dmKey, dmKey)).get();
    let created = false;
    if (!room) {
      const now = Date.now();
      const id = newId(now);
      // Both sides may ask at once: the unique dm_key lets one insert win; the members go in only with it.
      await c.env.DB.batch([
        c.env.DB.prepare(
          "INSERT INTO rooms (id, kind, name, owner_id, dm_key, created_at) VALUES (?1, 'dm', '', ?2, ?3, ?4) ON CONFLICT DO NOTHING",
        ).bind(id, me.id, dmKey, now),
        c.env.DB.prepare(
          `INSERT INTO room_members (room_id, user_id, role, joined_at, last_read_seq)
           SELECT ?1, users.id, 'member', ?2, 0 FROM users
            WHERE users.id IN (?3, ?4) AND EXISTS (SELECT 1 FROM rooms WHERE rooms.id = ?1)`,
        ).bind(id, now, me.id, other.id),
      ]);
      room = await db.select().from(rooms).where(eq(rooms.dmKey, dmKey)).get();
      created = room?.id === id;
      if (!room) throw new Error("the DM room vanished after its insert");
      if (created) {
        await roomStub(c.env, room.id).syncMembers(roomRef(room), [
          {
            id: me.id,
            username: me.username,
            displayName: me.displayName,
            isAdmin: me.role === "admin",
            role: "member",
          },
          {
            id: other.id,
            username: other.username,
            displayName: other.displayName,
            isAdmin: other.role === "admin",
            role: "member",
          },
        ]);
      }
    }
    const mine = await db
      .select({ lastReadSeq: roomMembers.lastReadSeq })
      .from(roomMembers)
      .where(and(eq(roomMembers.roomId, room.id), eq(roomMembers.userId, me.id)))
      .get();
    const item = await roomListItem(db, room, me.id, { role: "member", lastReadSeq: mine?.lastReadSeq ?? 0 });
    return created ? c.json(item, 201) : c.json(item, 200);
  })
  .openapi(blockRoute("post"), async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const other = await findProfileUser(db, c.req.valid("param").username, undefined);
    if (other.id === me.id) throw new ApiError(400, "validation_failed", "You cannot block yourself.");
    await db
      .insert(userBlocks)
      .values({ blockerId: me.id, blockedId: other.id, createdAt: Date.now() })
      .onConflictDoNothing();
    // An open DM between them closes now; tickets to it are refused from here on.
    const room = await db
      .select()
      .from(rooms)
      .where(eq(rooms.dmKey, dmKeyOf(me.id, other.id)))
      .get();
    if (room) {
      const stub = roomStub(c.env, room.id);
      await stub.moderate(roomRef(room), { type: "kick", userId: other.id });
      await stub.moderate(roomRef(room), { type: "kick", userId: me.id });
    }
    return c.json({ blocked: true }, 200);
  })
  .openapi(blockRoute("delete"), async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const other = await findProfileUser(db, c.req.valid("param").username, undefined);
    await db.delete(userBlocks).where(and(eq(userBlocks.blockerId, me.id), eq(userBlocks.blockedId, other.id)));
    return c.json({ blocked: false }, 200);
  });
