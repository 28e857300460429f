import type { Context } from "hono";
import type { AppBindings } from "../../env.ts";
import type { UserRow } from "../users.ts";
import { mailDeletionCancelled } from "./deletion-mail.ts";
import { cancelDeletionOnSignIn } from "./deletion-schedule.ts";

/**
 * Every sign-in passes here before its session starts: a deletion still in its grace period is
 * cancelled, the owner is told by mail and the sign-in answer says so (`deletionCancelled`). Once
 * erasing may have begun, the sign-in is refused (cancelDeletionOnSignIn).
 */
export async function deletionOnSignIn(
  c: Context<AppBindings>,
  row: UserRow,
): Promise<{ deletionCancelled?: { wasScheduledFor: string } }> {
  const result = await cancelDeletionOnSignIn(c.env.DB, row.id);
  if (!result.cancelled) return {};
  c.executionCtx.waitUntil(mailDeletionCancelled(c.env, row, result.wasDueAt));
  return { deletionCancelled: { wasScheduledFor: new Date(result.wasDueAt).toISOString() } };
}
