import { runDueDeletions } from "./auth/account-data/deletion-task.ts";
import { purgeEmailTokens } from "./auth/email-tokens.ts";
import { purgeAuthChallenges } from "./auth/mfa/challenges.ts";
import { purgeOAuthStates } from "./auth/oauth/states.ts";
import { purgeRefreshTokens } from "./auth/sessions.ts";
import { consumePlayBatch } from "./catalog/play-consumer.ts";
import type { Env } from "./env.ts";
import { cleanupAbandonedUploads, purgeFailedOriginals, sweepOrphanedTrackMedia } from "./media/cleanup.ts";
import { consumeTranscodeBatch } from "./media/transcode-consumer.ts";
import { consumeFanoutBatch } from "./notifications/fanout/fanout-consumer.ts";
import { consumePushRetryBatch } from "./notifications/push/retry-consumer.ts";
import { recordDeadLetters } from "./ops/dead-letters.ts";

/**
 * Every background job of the Worker, in one place. `index.ts` dispatches queue batches by the
 * queue's logical name (shared/queue-names.ts strips the environment suffix) and cron triggers by
 * their exact expression, so adding one never reruns another.
 *
 * A new queue job touches five places: a message schema file in its domain (documented for
 * at-least-once delivery, like catalog/play-message.ts), the producer call, the consumer (ack or
 * retry each message itself), the `[[queues.producers]]`/`[[queues.consumers]]` entries in
 * wrangler.toml for every environment (with a dead-letter queue; then `npm run cf-typegen`), and a
 * line here. A new cron task: its expression in wrangler.toml `[triggers] crons` (every
 * environment) and an entry in `cronTasks`.
 */
export const queueConsumers: Record<string, (batch: MessageBatch, env: Env) => Promise<void>> = {
  transcode: consumeTranscodeBatch,
  plays: consumePlayBatch,
  "push-retry": (batch, env) => consumePushRetryBatch(batch, env),
  "notify-fanout": consumeFanoutBatch,
  // Dead letters: recorded in D1 for the admin dashboard (ops/dead-letters.ts).
  "transcode-dlq": recordDeadLetters,
  "plays-dlq": recordDeadLetters,
  "push-retry-dlq": recordDeadLetters,
  "notify-fanout-dlq": recordDeadLetters,
};

export type CronTask = { name: string; run: (env: Env, scheduledTime: number) => Promise<unknown> };

/** Keyed by the cron expression exactly as written in wrangler.toml; the tasks run in order. */
export const cronTasks: Record<string, CronTask[]> = {
  "17 * * * *": [
    { name: "abandoned-uploads", run: cleanupAbandonedUploads },
    { name: "failed-originals", run: purgeFailedOriginals },
    { name: "orphaned-track-media", run: sweepOrphanedTrackMedia },
    { name: "refresh-token-purge", run: (env, scheduledTime) => purgeRefreshTokens(env.DB, scheduledTime) },
    { name: "oauth-state-purge", run: (env, scheduledTime) => purgeOAuthStates(env.DB, scheduledTime) },
    { name: "account-deletions", run: (env, scheduledTime) => runDueDeletions(env, scheduledTime) },
    { name: "email-token-purge", run: (env, scheduledTime) => purgeEmailTokens(env.DB, scheduledTime) },
    { name: "auth-challenge-purge", run: (env, scheduledTime) => purgeAuthChallenges(env.DB, scheduledTime) },
  ],
};
