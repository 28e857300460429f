import app from "./app.ts";
import type { Env } from "./env.ts";
import { cronTasks, queueConsumers } from "./jobs.ts";
import { log, logged } from "./shared/log.ts";
import { logicalQueueName } from "./shared/queue-names.ts";

export { RateLimiter } from "./auth/rate-limiter.ts";
export { ChatRoom } from "./chat/chat-room.ts";
export { ChatShard } from "./chat/chat-shard.ts";
export { UserEvents } from "./live/user-events.ts";
export { TranscoderContainer } from "./media/transcoder-container.ts";
export { NotificationInbox } from "./notifications/inbox/notification-inbox.ts";

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch, env: Env): Promise<void> {
    const fields = { queue: batch.queue, messages: batch.messages.length };
    const consume = queueConsumers[logicalQueueName(batch.queue)];
    if (consume) return logged("queue.batch", fields, () => consume(batch, env));
    log("error", "queue.unknown", { ...fields, action: "acked all" });
    batch.ackAll();
  },
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext): Promise<void> {
    const tasks = cronTasks[controller.cron];
    if (!tasks) return log("error", "cron.unknown", { cron: controller.cron });
    // Each task runs whatever happened to the one before (each failure is logged by `logged`); the
    // invocation still fails at the end so the platform shows it.
    const failures: unknown[] = [];
    for (const task of tasks) {
      await logged("cron", { cron: controller.cron, task: task.name }, () =>
        task.run(env, controller.scheduledTime),
      ).catch((error: unknown) => failures.push(error));
    }
    if (failures.length > 0) throw new AggregateError(failures, `${failures.length} cron task(s) failed`);
  },
} satisfies ExportedHandler<Env>;
