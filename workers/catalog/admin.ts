import { eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import { revokeUserSessions } from "../auth/sessions.ts";
import type { Db } from "../db/client.ts";
import { auditLog, type Role, users } from "../db/schema/index.ts";
import type { AppBindings } from "../env.ts";
import { ApiError } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import type { AuditEntry } from "./audit-entry.ts";

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

/**
 * Disables (or re-enables) an account. Disabling ends every session at once: the token version
 * bump voids access tokens already issued, and the refresh tokens are revoked.
 */
export async function setAccountStatus(db: Db, userId: string, status: "active" | "disabled", audit: AuditEntry) {
  await db.batch([
    db
      .update(users)
      .set({
        status,
        ...(status === "disabled" ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {}),
        updatedAt: Date.now(),
      })
      .where(eq(users.id, userId)),
    auditInsert(db, audit),
  ]);
  if (status === "disabled") await revokeUserSessions(db.$client, userId);
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

/**
 * Changes a user's role, with its audit entry, in one transaction. The last active admin can never
 * lose the role: the check is inside the UPDATE, so two admins demoting each other at once cannot
 * leave none. False when it would have.
 */
export async function setRole(db: Db, userId: string, role: Role, audit: AuditEntry): Promise<boolean> {
  const now = Date.now();
  const d1 = db.$client;
  const [changed] = await d1.batch([
    d1
      .prepare(
        `UPDATE users SET role = ?1, updated_at = ?2 WHERE id = ?3 AND (?1 = 'admin' OR role != 'admin' OR
           (SELECT COUNT(*) FROM users AS other WHERE other.role = 'admin' AND other.status = 'active' AND other.id != ?3) > 0)`,
      )
      .bind(role, now, userId),
    d1
      .prepare(
        `INSERT INTO audit_log (id, actor_id, action, target_type, target_id, reason, details, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
         WHERE EXISTS (SELECT 1 FROM users WHERE id = ?5 AND role = ?9 AND updated_at = ?8)`,
      )
      .bind(
        newId(now),
        audit.actorId,
        audit.action,
        audit.targetType,
        userId,
        audit.reason ?? "",
        JSON.stringify(audit.details ?? null),
        now,
        role,
      ),
  ]);
  return changed?.meta.changes === 1;
}
