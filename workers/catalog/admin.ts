import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import type { AuthUser } from "../auth/types.ts";
import type { Db } from "../db/client.ts";
import { auditLog, comments, users } from "../db/schema/index.ts";
import type { AppBindings, Env } from "../env.ts";
import { ApiError, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { afterCursor, keysetPage, type PageRequest, shapePage } from "../shared/keyset.ts";
import type { AuditEntry } from "./audit-entry.ts";
import { getComment } from "./comments.ts";
import { removeTrack } from "./track-delete.ts";
import { getTrackRow } from "./tracks.ts";

export type { AuditEntry };

export function auditInsert(db: Db, entry: AuditEntry) {
  const now = Date.now();
  return db.insert(auditLog).values({
    id: newId(now),
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    reason: entry.reason ?? "",
    details: entry.details ?? null,
    createdAt: now,
  });
}

const REASON_MAX = 500;

/** The reason an admin gives for acting on someone else's content (`?reason=`), trimmed. */
function reasonOf(c: Context<AppBindings>): string | undefined {
  const reason = c.req.query("reason")?.trim();
  return reason ? reason.slice(0, REASON_MAX) : undefined;
}

export const reasonRequired = () =>
  new ApiError(400, "reason_required", "Admin actions need a reason: it is recorded in the audit log.");

/**
 * Call once a route knows whose content it is about to change. When an admin changes someone
 * else's content through an ordinary route, a reason (`?reason=`) is required (400 without one)
 * and the action is recorded in the audit log once the route has succeeded (see recordAdminActions).
 */
export function auditIfAdminOverride<E extends AppBindings>(
  route: Context<E, string, object>,
  ownerId: string,
  action: { action: string; targetType: AuditEntry["targetType"]; targetId: string; details?: Record<string, unknown> },
): void {
  const c = route as unknown as Context<AppBindings>;
  const viewer = c.var.viewer;
  if (viewer?.role !== "admin" || viewer.id === ownerId) return;
  const reason = reasonOf(c);
  if (!reason) throw reasonRequired();
  c.set("adminAction", { ...action, actorId: viewer.id, reason, details: { ownerId, ...action.details } });
}

/** Middleware: writes the admin action a route announced, if the route succeeded. */
export async function recordAdminActions(c: Context<AppBindings>, next: () => Promise<void>) {
  await next();
  const entry = c.get("adminAction");
  if (entry && c.res.status < 400) await auditInsert(c.var.db, entry);
}

/** Removes any track (and its media) as an admin, then records it. */
export async function removeTrackAsAdmin(
  env: Pick<Env, "MEDIA" | "PUBLIC_BASE_URL">,
  db: Db,
  admin: AuthUser,
  trackId: string,
  reason: string,
): Promise<void> {
  const track = await getTrackRow(db, trackId);
  if (!track) throw notFound("Track");
  await removeTrack(env, db, track.id);
  await auditInsert(db, {
    actorId: admin.id,
    action: "track.remove",
    targetType: "track",
    targetId: track.id,
    reason,
    details: { title: track.title, ownerId: track.ownerId },
  });
}

/** Removes any comment as an admin, recorded in the same transaction. */
export async function removeCommentAsAdmin(db: Db, admin: AuthUser, commentId: string, reason: string): Promise<void> {
  const comment = await getComment(db, commentId);
  if (!comment) throw notFound("Comment");
  await db.batch([
    db.delete(comments).where(eq(comments.id, comment.id)),
    auditInsert(db, {
      actorId: admin.id,
      action: "comment.remove",
      targetType: "comment",
      targetId: comment.id,
      reason,
      details: { trackId: comment.trackId, authorId: comment.userId, body: comment.body },
    }),
  ]);
}

export type AuditFilters = { actorId?: string; targetId?: string; action?: string };

/** The audit log, newest first, narrowed by actor, target or action. */
export async function listAuditLog(db: Db, filters: AuditFilters, page: PageRequest) {
  const rows = await keysetPage(
    page,
    (after, take) =>
      db
        .select({ entry: auditLog, actorUsername: users.username })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(
          and(
            filters.actorId ? eq(auditLog.actorId, filters.actorId) : undefined,
            filters.targetId ? eq(auditLog.targetId, filters.targetId) : undefined,
            filters.action ? eq(auditLog.action, filters.action) : undefined,
            afterCursor(auditLog.createdAt, auditLog.id, after),
          ),
        )
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(take),
    (r) => ({ k: r.entry.createdAt, id: r.entry.id }),
  );
  return shapePage(rows, (items) =>
    items.map(({ entry, actorUsername }) => ({
      id: entry.id,
      actor: { id: entry.actorId, username: actorUsername },
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      reason: entry.reason,
      details: entry.details ?? null,
      createdAt: new Date(entry.createdAt).toISOString(),
    })),
  );
}
