import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { adminOnly } from "../auth/route-presets.ts";
import { ACCOUNT_STATUSES, auditLog, comments, ROLES, users } from "../db/schema/index.ts";
import { decodeCursor, pageFrom } from "../shared/cursor.ts";
import { ApiError, conflict, notFound } from "../shared/errors.ts";
import { afterCursor } from "../shared/keyset.ts";
import { createRouter, errorResponse, IdParams, jsonBody, jsonResponse, PageQuery, pageOf } from "../shared/openapi.ts";
import { findProfileUser } from "./access.ts";
import { auditInsert, setAccountStatus, setRole } from "./admin.ts";
import { removeTrack } from "./track-delete.ts";
import { getTrackRow } from "./tracks.ts";

/** Every admin action says why; the reason goes in the audit log. */
const Reason = z.string().trim().min(1, "Say why: the reason is recorded in the audit log.").max(500);

const adminErrors = { 403: errorResponse("Not an admin"), 404: errorResponse("Not found") };

const AccountState = z
  .object({ id: z.string(), username: z.string(), status: z.enum(["active", "disabled"]) })
  .openapi("AccountState");

const AuditSchema = z
  .object({
    id: z.string(),
    actor: z.object({ id: z.string(), username: z.string().nullable() }),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    reason: z.string(),
    details: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  .openapi("AuditEntry");

function accountRoute(action: "disable" | "enable") {
  return createRoute({
    method: "post",
    path: `/admin/users/{username}/${action}`,
    tags: ["admin"],
    summary: action === "disable" ? "Disable an account: its sessions end at once" : "Re-enable a disabled account",
    request: {
      params: z.object({ username: z.string().min(1).max(60) }),
      ...jsonBody(z.object({ reason: Reason })),
    },
    ...adminOnly({
      200: jsonResponse(AccountState, "The account's new state (unchanged and not logged if it was already so)"),
      ...adminErrors,
    }),
  });
}

const removeTrackRoute = createRoute({
  method: "delete",
  path: "/admin/tracks/{id}",
  tags: ["admin"],
  request: { params: IdParams, query: z.object({ reason: Reason }) },
  ...adminOnly({ 204: { description: "Removed and recorded in the audit log" }, ...adminErrors }),
});

const removeComment = createRoute({
  method: "delete",
  path: "/admin/comments/{id}",
  tags: ["admin"],
  request: { params: IdParams, query: z.object({ reason: Reason }) },
  ...adminOnly({ 204: { description: "Removed and recorded in the audit log" }, ...adminErrors }),
});

const audit = createRoute({
  method: "get",
  path: "/admin/audit",
  tags: ["admin"],
  summary: "The moderation audit log, newest first",
  request: {
    query: PageQuery.extend({
      actorId: z.string().max(40).optional(),
      targetId: z.string().max(40).optional(),
      action: z.string().max(60).optional(),
    }),
  },
  ...adminOnly({ 200: jsonResponse(pageOf(AuditSchema), "A page of audit entries"), ...adminErrors }),
});

const RoleState = z
  .object({ id: z.string(), username: z.string(), role: z.enum(ROLES), status: z.enum(ACCOUNT_STATUSES) })
  .openapi("RoleState");

const setRoleRoute = createRoute({
  method: "post",
  path: "/admin/users/{username}/role",
  tags: ["admin"],
  summary: "Change an account's role; the last admin cannot be demoted",
  request: {
    params: z.object({ username: z.string().min(1).max(60) }),
    ...jsonBody(z.object({ role: z.enum(ROLES), reason: Reason })),
  },
  ...adminOnly({
    200: jsonResponse(RoleState, "The account's role now"),
    409: errorResponse("The last admin cannot be demoted"),
    ...adminErrors,
  }),
});

export const adminRoutes = createRouter()
  .openapi(accountRoute("disable"), async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const user = await findProfileUser(db, c.req.valid("param").username, c.var.viewer);
    if (user.id === me.id) throw new ApiError(400, "cannot_disable_self", "You cannot disable your own account.");
    // One admin cannot shut another out: demote first (the last admin can never be demoted).
    if (user.role === "admin") {
      throw new ApiError(403, "target_is_admin", "Admins cannot be disabled; change their role first.");
    }
    if (user.status !== "disabled") {
      await setAccountStatus(db, user.id, "disabled", {
        actorId: me.id,
        action: "user.disable",
        targetType: "user",
        targetId: user.id,
        reason: c.req.valid("json").reason,
        details: { username: user.username },
      });
    }
    return c.json({ id: user.id, username: user.username, status: "disabled" as const }, 200);
  })
  .openapi(accountRoute("enable"), async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const user = await findProfileUser(db, c.req.valid("param").username, c.var.viewer);
    if (user.status !== "active") {
      await setAccountStatus(db, user.id, "active", {
        actorId: me.id,
        action: "user.enable",
        targetType: "user",
        targetId: user.id,
        reason: c.req.valid("json").reason,
        details: { username: user.username },
      });
    }
    return c.json({ id: user.id, username: user.username, status: "active" as const }, 200);
  })
  .openapi(setRoleRoute, async (c) => {
    const db = c.var.db;
    const me = c.var.viewer;
    const user = await findProfileUser(db, c.req.valid("param").username, c.var.viewer);
    const { role, reason } = c.req.valid("json");
    if (user.role !== role) {
      const changed = await setRole(db, user.id, role, {
        actorId: me.id,
        action: "user.role",
        targetType: "user",
        targetId: user.id,
        reason,
        details: { username: user.username, from: user.role, to: role },
      });
      if (!changed) throw conflict("last_admin", "This is the last admin: make someone else an admin first.");
    }
    return c.json({ id: user.id, username: user.username, role, status: user.status }, 200);
  })
  .openapi(removeTrackRoute, async (c) => {
    const db = c.var.db;
    const track = await getTrackRow(db, c.req.valid("param").id);
    if (!track) throw notFound("Track");
    await removeTrack(c.env, db, track.id);
    await auditInsert(db, {
      actorId: c.var.viewer.id,
      action: "track.remove",
      targetType: "track",
      targetId: track.id,
      reason: c.req.valid("query").reason,
      details: { title: track.title, ownerId: track.ownerId },
    });
    return c.body(null, 204);
  })
  .openapi(removeComment, async (c) => {
    const db = c.var.db;
    const comment = await db
      .select()
      .from(comments)
      .where(eq(comments.id, c.req.valid("param").id))
      .get();
    if (!comment) throw notFound("Comment");
    await db.batch([
      db.delete(comments).where(eq(comments.id, comment.id)),
      auditInsert(db, {
        actorId: c.var.viewer.id,
        action: "comment.remove",
        targetType: "comment",
        targetId: comment.id,
        reason: c.req.valid("query").reason,
        details: { trackId: comment.trackId, authorId: comment.userId, body: comment.body },
      }),
    ]);
    return c.body(null, 204);
  })
  .openapi(audit, async (c) => {
    const db = c.var.db;
    const { cursor, limit, actorId, targetId, action } = c.req.valid("query");
    const rows = await db
      .select({ entry: auditLog, actorUsername: users.username })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorId))
      .where(
        and(
          actorId ? eq(auditLog.actorId, actorId) : undefined,
          targetId ? eq(auditLog.targetId, targetId) : undefined,
          action ? eq(auditLog.action, action) : undefined,
          afterCursor(auditLog.createdAt, auditLog.id, decodeCursor(cursor)),
        ),
      )
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(limit + 1);
    const page = pageFrom(rows, limit, (r) => ({ k: r.entry.createdAt, id: r.entry.id }));
    const items = page.items.map(({ entry, actorUsername }) => ({
      id: entry.id,
      actor: { id: entry.actorId, username: actorUsername },
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason,
      details: entry.details ?? null,
      createdAt: new Date(entry.createdAt).toISOString(),
    }));
    return c.json({ items, nextCursor: page.nextCursor }, 200);
  });
