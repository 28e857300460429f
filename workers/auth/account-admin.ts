import { eq, sql } from "drizzle-orm";
import { auditInsert } from "../catalog/admin.ts";
import type { AuditEntry } from "../catalog/audit-entry.ts";
import { recountActivityOf } from "../catalog/disabled-counts.ts";
import type { Db } from "../db/client.ts";
import { type AccountStatus, type Role, users } from "../db/schema/index.ts";
import { ApiError, conflict, notFound } from "../shared/errors.ts";
import { newId } from "../shared/ids.ts";
import { revokeUserSessions } from "./sessions.ts";
import type { AuthUser } from "./types.ts";
import type { UserRow } from "./users.ts";

// Admin actions on accounts: each writes its audit-log entry in the same transaction.

export type AccountState = { id: string; username: string; status: Exclude<AccountStatus, "deleted"> };
export type RoleState = AccountState & { role: Role };

/** Any account by username, disabled ones included (admins see them); not the "deleted user". */
async function accountByUsername(db: Db, username: string): Promise<UserRow & { status: AccountState["status"] }> {
  const row = await db.select().from(users).where(eq(users.username, username.toLowerCase())).get();
  if (!row || row.status === "deleted") throw notFound("User");
  return { ...row, status: row.status };
}

/** Disables an account (not one's own, not an admin's); a no-op, not logged, if it already is. */
export async function disableAccount(db: Db, admin: AuthUser, username: string, reason: string): Promise<AccountState> {
  const user = await accountByUsername(db, username);
  if (user.id === admin.id) throw new ApiError(400, "cannot_disable_self", "You cannot disable your own account.");
  // One admin cannot shut another out: demote first (the last admin can never be demoted).
  if (user.role === "admin") {
    throw new ApiError(403, "target_is_admin", "Admins cannot be disabled; change their role first.");
  }
  if (user.status !== "disabled") {
    await setAccountStatus(db, user.id, "disabled", accountAudit(admin, user, "user.disable", reason));
  }
  return { id: user.id, username: user.username, status: "disabled" };
}

/** Re-enables an account; a no-op, not logged, if it is active. */
export async function enableAccount(db: Db, admin: AuthUser, username: string, reason: string): Promise<AccountState> {
  const user = await accountByUsername(db, username);
  if (user.status !== "active") {
    await setAccountStatus(db, user.id, "active", accountAudit(admin, user, "user.enable", reason));
  }
  return { id: user.id, username: user.username, status: "active" };
}

/** Changes an account's role; 409 rather than leave no active admin. */
export async function changeRole(
  db: Db,
  admin: AuthUser,
  username: string,
  role: Role,
  reason: string,
): Promise<RoleState> {
  const user = await accountByUsername(db, username);
  if (user.role !== role) {
    const audit = accountAudit(admin, user, "user.role", reason, { from: user.role, to: role });
    if (!(await setRole(db, user.id, role, audit))) {
      throw conflict("last_admin", "This is the last admin: make someone else an admin first.");
    }
  }
  return { id: user.id, username: user.username, role, status: user.status };
}

function accountAudit(
  admin: AuthUser,
  user: UserRow,
  action: string,
  reason: string,
  details: Record<string, unknown> = {},
): AuditEntry {
  return {
    actorId: admin.id,
    action,
    targetType: "user",
    targetId: user.id,
    reason,
    details: { username: user.username, ...details },
  };
}

/**
 * Disables (or re-enables) an account. Disabling ends every session at once: the token version
 * bump voids access tokens already issued, and the refresh tokens are revoked. The counters the
 * account's likes, comments and follows feed are recounted in the same batch.
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
    ...recountActivityOf(db, userId),
    auditInsert(db, audit),
  ]);
  if (status === "disabled") await revokeUserSessions(db.$client, userId);
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
