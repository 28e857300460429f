import app from "./app.ts";
import type { Env } from "./env.ts";

export { RateLimiter } from "./auth/rate-limiter.ts";
export { ChatRoom } from "./chat/chat-room.ts";
export { TranscoderContainer } from "./media/transcoder-container.ts";
export { UserEvents } from "./media/user-events.ts";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch, env: Env, ctx: ExecutionContext): Promise<void> {
    // The transcode consumer is wired in by the transcoding work; until then messages wait on the queue.
    for (const message of batch.messages) message.retry({ delaySeconds: 60 });
    void env;
    void ctx;
  },
  async scheduled(_controller: ScheduledController, _env: Env, _ctx: ExecutionContext): Promise<void> {},
} satisfies ExportedHandler<Env>;
