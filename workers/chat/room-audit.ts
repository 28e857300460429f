import type { AuthUser } from "../auth/types.ts";
import { type AuditEntry, reasonRequired } from "../catalog/admin.ts";
import type { RoomAccess } from "./rooms.ts";

/**
 * A site admin moderating a room they neither own nor moderate is an admin override: it needs a
 * reason (400 `reason_required` without one) and is recorded in the audit log. Owners and
 * moderators acting in their own rooms get `undefined` (nothing to record).
 */
export function roomOverrideAudit(
  access: RoomAccess,
  actor: AuthUser,
  reason: string | undefined,
  action: { action: string; targetId: string; details?: Record<string, unknown> },
): AuditEntry | undefined {
  if (access.role === "owner" || access.role === "moderator") return undefined;
  const why = reason?.trim();
  if (!why) throw reasonRequired();
  return {
    actorId: actor.id,
    action: action.action,
    targetType: "user",
    targetId: action.targetId,
    reason: why.slice(0, 500),
    details: { roomId: access.room.id, ownerId: access.room.ownerId, ...action.details },
  };
}
