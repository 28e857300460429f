import app from "./app.ts";
import { purgeRefreshTokens } from "./auth/sessions.ts";
import { consumePlayBatch } from "./catalog/play-consumer.ts";
import type { Env } from "./env.ts";
import { cleanupAbandonedUploads } from "./media/cleanup.ts";
import { consumeTranscodeBatch } from "./media/transcode-consumer.ts";
import { log, logged } from "./shared/log.ts";
import { logicalQueueName } from "./shared/queue-names.ts";

export { RateLimiter } from "./auth/rate-limiter.ts";
export { ChatRoom } from "./chat/chat-room.ts";
export { ChatShard } from "./chat/chat-shard.ts";
export { UserEvents } from "./live/user-events.ts";
export { TranscoderContainer } from "./media/transcoder-container.ts";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    const queue = logicalQueueName(batch.queue);
    const fields = { queue: batch.queue, messages: batch.messages.length };
    if (queue === "transcode") await logged("queue.batch", fields, () => consumeTranscodeBatch(batch, env));
    else if (queue === "plays") await logged("queue.batch", fields, () => consumePlayBatch(batch, env));
    else {
      log("error", "queue.unknown", { ...fields, action: "acked all" });
      batch.ackAll();
    }
  },
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    await logged("cron", { cron: controller.cron, task: "abandoned-uploads" }, () =>
      cleanupAbandonedUploads(env, controller.scheduledTime),
    );
    await logged("cron", { cron: controller.cron, task: "refresh-token-purge" }, () =>
      purgeRefreshTokens(env.DB, controller.scheduledTime),
    );
  },
} satisfies ExportedHandler<Env>;
