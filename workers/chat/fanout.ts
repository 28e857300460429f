import { errorFields, log } from "../shared/log.ts";
import type { ServerFrame } from "./protocol.ts";

/** Frames broadcast within this many milliseconds of each other go out as one `batch` frame. */
export const COALESCE_MS = 4;

/**
 * Sends frames to the room's sockets. Broadcasts are coalesced: frames queued within a few
 * milliseconds (a burst, or a backlog while the object was busy) are serialised once and sent as
 * one frame per socket, which is what bounds the per-socket cost under load. Order is kept, on
 * the room's own sockets and on each shard's (one call per shard per batch).
 */
export class Fanout {
  private pending: ServerFrame[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Per shard, the calls in flight: each shard gets the room's frames in the room's order. */
  private readonly shardQueues = new Map<number, Promise<unknown>>();

  constructor(
    private readonly ctx: DurableObjectState,
    private readonly shards: ShardLink,
  ) {}

  /** Runs `call` on shard `index` after everything sent to it before. */
  onShard<T>(index: number, call: () => Promise<T>): Promise<T> {
    const previous = this.shardQueues.get(index) ?? Promise.resolve();
    const next = previous.then(call, call);
    this.shardQueues.set(
      index,
      next.catch((error) =>
        log("error", "chat_room.shard_call_failed", { object: "ChatRoom", shard: index, ...errorFields(error) }),
      ),
    );
    return next;
  }

  broadcast(frame: ServerFrame): void {
    this.pending.push(frame);
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  /** Sends whatever is queued now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const frames = this.pending;
    if (frames.length === 0) return;
    this.pending = [];
    const text = JSON.stringify(frames.length === 1 ? frames[0] : { type: "batch", frames });
    for (const socket of this.ctx.getWebSockets()) send(socket, text);
    for (const index of this.shards.indexes()) void this.onShard(index, () => this.shards.deliver(index, text));
  }

  /** To every socket of one user (their other tabs), right away. */
  toUser(userId: string, frame: ServerFrame): void {
    const text = JSON.stringify(frame);
    for (const socket of this.ctx.getWebSockets(userId)) send(socket, text);
    for (const index of this.shards.indexes()) {
      void this.onShard(index, () => this.shards.deliver(index, text, userId));
    }
  }
}

/** The room's shards, as the fan-out needs them. */
export type ShardLink = {
  indexes(): number[];
  deliver(index: number, text: string, userId?: string): Promise<void>;
};

function send(socket: WebSocket, text: string): void {
  try {
    socket.send(text);
  } catch {
    // A socket that closed meanwhile: its close handler tidies up.
  }
}
