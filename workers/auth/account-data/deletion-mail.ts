import { sendEmail } from "../../email/send.ts";
import { deletionCancelledMessage, deletionScheduledMessage } from "../../email/templates/account-deletion.ts";
import type { Env } from "../../env.ts";
import { errorFields, log } from "../../shared/log.ts";
import type { UserRow } from "../users.ts";

// The mail that tells an account's owner about its deletion. Sent after the change is made and
// never allowed to undo it: a failure to send is logged (the answer on screen says the same).

export async function mailDeletionScheduled(
  env: Env,
  user: Pick<UserRow, "id" | "email" | "displayName">,
  dueAt: number,
) {
  try {
    const signIn = new URL("/login", env.PUBLIC_BASE_URL).toString();
    await sendEmail(env, deletionScheduledMessage({ to: user.email, name: user.displayName }, dueAt, signIn));
  } catch (error) {
    log("error", "email.deletion_scheduled_not_sent", { userId: user.id, ...errorFields(error) });
  }
}

export async function mailDeletionCancelled(
  env: Env,
  user: Pick<UserRow, "id" | "email" | "displayName">,
  wasDueAt: number,
) {
  try {
    await sendEmail(env, deletionCancelledMessage({ to: user.email, name: user.displayName }, wasDueAt));
  } catch (error) {
    log("error", "email.deletion_cancelled_not_sent", { userId: user.id, ...errorFields(error) });
  }
}
