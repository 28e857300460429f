import type { Env } from "../../env.ts";
import { errorFields, log } from "../../shared/log.ts";
import { dueDeletions, markDeletionStarted, recordDeletionFailure } from "./deletion-schedule.ts";
import { eraseAccount } from "./erase-account.ts";

/** Accounts erased per run; the hourly cron takes the rest next time. */
const PER_RUN = 5;

/**
 * The cron task (workers/jobs.ts): erases accounts whose grace period is over. A failure is
 * recorded on the deletion's row and the account is retried on the next run, from where it stopped.
 */
export async function runDueDeletions(env: Env, now = Date.now()): Promise<{ erased: number; failed: number }> {
  let erased = 0;
  let failed = 0;
  for (const userId of await dueDeletions(env.DB, now, PER_RUN)) {
    await markDeletionStarted(env.DB, userId, now);
    try {
      await eraseAccount(env, userId);
      erased++;
    } catch (error) {
      failed++;
      log("error", "account_deletion.failed", { userId, ...errorFields(error) });
      await recordDeletionFailure(env.DB, userId, error instanceof Error ? error.message : String(error));
    }
  }
  return { erased, failed };
}
