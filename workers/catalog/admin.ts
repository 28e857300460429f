import { eq, sql } from "drizzle-orm";
import { revokeUserSessions } from "../auth/sessions.ts";
import type { Db } from "../db/client.ts";
import { auditLog, users } from "../db/schema/index.ts";
import { newId } from "../shared/ids.ts";

export type AuditEntry = {
  actorId: string;
  action: string;
  targetType: "user" | "track" | "comment";
  targetId: string;
  reason?: string;
  details?: Record<string, unknown>;
};

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
