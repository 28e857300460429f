import app from "./app.ts";
import { consumePlayBatch } from "./catalog/play-consumer.ts";
import type { Env } from "./env.ts";
import { cleanupAbandonedUploads } from "./media/cleanup.ts";
import { consumeTranscodeBatch } from "./media/transcode-consumer.ts";
import { logicalQueueName } from "./shared/queue-names.ts";

export { RateLimiter } from "./auth/rate-limiter.ts";
export { ChatRoom } from "./chat/chat-room.ts";
export { UserEvents } from "./live/user-events.ts";
export { TranscoderContainer } from "./media/transcoder-container.ts";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    const queue = logicalQueueName(batch.queue);
    if (queue === "transcode") await consumeTranscodeBatch(batch, env);
    else if (queue === "plays") await consumePlayBatch(batch, env);
    else {
      console.error(`queue: no consumer for "${batch.queue}"; acking ${batch.messages.length} messages`);
      batch.ackAll();
    }
  },
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    await cleanupAbandonedUploads(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
