import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { socketResponse } from "../live/ticket-admission.ts";
import { decodeJsonBase64url } from "../shared/crypto.ts";
import { errorBody } from "../shared/errors.ts";
import { errorFields, log, logged } from "../shared/log.ts";
import { CLOSE_STALE, PING, PONG } from "./protocol.ts";

/** Who is on a socket held by a shard, and its id in the room's list of shard sockets. */
export type ShardSocketInfo = {
  id: string;
  username: string;
  displayName: string;
  connectedAt: number;
  socketId: string;
  /** As the room's own sockets: an unverified account reads and listens but does not post. */
  emailUnverified?: true;
};

/** What the room hands a shard with a socket it admitted: the socket's owner and its hello frame. */
export type ShardAdmission = { roomId: string; index: number; info: ShardSocketInfo; hello: string };
export const SHARD_HEADER = "x-chat-shard";

/** What the room answers a frame with: frames for that socket only, and whether to close it. */
export type ShardReply = { sends: string[]; close?: { code: number; reason: string } };

const STALE_SOCKET_MS = 70_000;
const PRUNE_EVERY_MS = 30_000;

/**
 * A child of a busy room: it only holds sockets. The room admits each socket (tickets, bans,
 * hello), keeps the order and the history; the shard relays its sockets' frames to the room one
 * at a time, in order, and sends what the room fans out to it.
 */
export class ChatShard extends DurableObject<Env> {
  private forwarding: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    let admission: ShardAdmission;
    try {
      admission = decodeJsonBase64url(request.headers.get(SHARD_HEADER) ?? "") as ShardAdmission;
    } catch {
      return Response.json(errorBody("forbidden", "Shards take sockets from their room only."), { status: 403 });
    }
    await this.ctx.storage.put("room", { roomId: admission.roomId, index: admission.index });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [admission.info.id]);
    pair[1].serializeAttachment(admission.info);
    pair[1].send(admission.hello);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + PRUNE_EVERY_MS);
    return socketResponse(pair[0]);
  }

  /** Sends a frame the room fanned out to every socket here (or to one user's). */
  async deliver(text: string, userId?: string): Promise<void> {
    for (const socket of this.ctx.getWebSockets(userId)) {
      try {
        socket.send(text);
      } catch {
        // closed meanwhile
      }
    }
  }

  /** Closes one user's sockets here (a ban or a kick); the room has already counted them out. */
  async closeUser(userId: string, code: number, reason: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(userId);
    for (const socket of sockets) {
      socket.serializeAttachment(null);
      try {
        socket.close(code, reason);
      } catch {
        // already closed
      }
    }
    return sockets.length;
  }

  override async webSocketMessage(socket: WebSocket, data: string | ArrayBuffer): Promise<void> {
    const info = socket.deserializeAttachment() as ShardSocketInfo | null;
    if (!info) return;
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    // One frame at a time, so the room sees a socket's frames in the order they were sent.
    const relayed = this.forwarding.then(async () => {
      const { stub, index } = await this.room();
      const reply = await stub.fromShard(index, info, text);
      for (const frame of reply.sends) socket.send(frame);
      if (reply.close) socket.close(reply.close.code, reply.close.reason);
    });
    this.forwarding = relayed.catch((error) =>
      log("error", "chat_shard.relay_failed", { object: "ChatShard", ...errorFields(error) }),
    );
    await this.forwarding;
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    await this.dropped(socket);
    try {
      socket.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      // already closed
    }
  }

  override async webSocketError(socket: WebSocket): Promise<void> {
    await this.dropped(socket);
  }

  /** Prunes sockets that stopped answering pings, as the room does for its own. */
  override async alarm(): Promise<void> {
    await logged("chat_shard.alarm", { object: "ChatShard" }, () => this.pruneStale());
  }

  private async pruneStale(): Promise<void> {
    const now = Date.now();
    for (const socket of this.ctx.getWebSockets()) {
      const info = socket.deserializeAttachment() as ShardSocketInfo | null;
      if (!info) continue;
      const lastHeard = Math.max(info.connectedAt, this.ctx.getWebSocketAutoResponseTimestamp(socket)?.getTime() ?? 0);
      if (now - lastHeard <= STALE_SOCKET_MS) continue;
      try {
        socket.close(CLOSE_STALE, "No ping for too long.");
      } catch {
        // already gone
      }
      await this.dropped(socket);
    }
    if (this.ctx.getWebSockets().length > 0) await this.ctx.storage.setAlarm(now + PRUNE_EVERY_MS);
  }

  private async dropped(socket: WebSocket): Promise<void> {
    const info = socket.deserializeAttachment() as ShardSocketInfo | null;
    if (!info) return;
    socket.serializeAttachment(null);
    const { stub, index } = await this.room();
    await stub.shardSocketClosed(index, info.socketId);
  }

  private async room() {
    const room = (await this.ctx.storage.get<{ roomId: string; index: number }>("room")) as {
      roomId: string;
      index: number;
    };
    return { stub: this.env.CHAT_ROOM.get(this.env.CHAT_ROOM.idFromName(room.roomId)), index: room.index };
  }
}

/** The shard object holding a room's sockets number `index`. */
export function shardStub(env: Env, roomId: string, index: number) {
  return env.CHAT_SHARD.get(env.CHAT_SHARD.idFromName(`${roomId}#${index}`));
}
