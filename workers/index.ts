import app from "./app.ts";
import type { Env } from "./env.ts";
import { cleanupAbandonedUploads } from "./media/cleanup.ts";
import { consumeTranscodeBatch } from "./media/transcode-consumer.ts";

export { RateLimiter } from "./auth/rate-limiter.ts";
export { ChatRoom } from "./chat/chat-room.ts";
export { TranscoderContainer } from "./media/transcoder-container.ts";
export { UserEvents } from "./media/user-events.ts";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    await consumeTranscodeBatch(batch, env);
  },
  async scheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    void ctx;
    await cleanupAbandonedUploads(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
