import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";

export type UserEvent =
  | {
      type: "track.status";
      trackId: string;
      status: "processing" | "ready" | "failed";
      failureReason?: string;
    }
  | { type: "notification"; notification: { id: string; type: string; createdAt: string; readAt: string | null } };

/**
 * A per-user live channel: the user's open tabs hold hibernating WebSockets here, and the
 * Worker publishes events (a track's status change) to every one of them.
 */
export class UserEvents extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return Response.json(
        { error: { code: "upgrade_required", message: "Expected a WebSocket upgrade." } },
        { status: 426 },
      );
    }
    const nonce = request.headers.get("x-ticket-nonce") ?? "";
    const expires = Number(request.headers.get("x-ticket-expires"));
    if (!nonce || !(await this.admitOnce(nonce, expires))) {
      return Response.json(
        { error: { code: "ticket_used", message: "This ticket was already used." } },
        { status: 401 },
      );
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  /** Remembers a ticket's nonce until it expires; false if it was seen before. */
  private async admitOnce(nonce: string, expires: number): Promise<boolean> {
    const key = `ticket:${nonce}`;
    if (await this.ctx.storage.get(key)) return false;
    await this.ctx.storage.put(key, expires);
    const pruneAt = (Number.isFinite(expires) ? expires * 1000 : Date.now()) + 60_000;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(pruneAt);
    return true;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const tickets = await this.ctx.storage.list<number>({ prefix: "ticket:" });
    const expired = [...tickets].filter(([, expires]) => expires * 1000 < now).map(([key]) => key);
    await this.ctx.storage.delete(expired);
    if (tickets.size > expired.length) await this.ctx.storage.setAlarm(now + 60_000);
  }

  async publish(event: UserEvent): Promise<number> {
    const message = JSON.stringify(event);
    const sockets = this.ctx.getWebSockets();
    for (const socket of sockets) {
      try {
        socket.send(message);
      } catch {
        // A socket that closed between listing and sending: nothing to deliver.
      }
    }
    return sockets.length;
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    socket.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
  }
}

/** Delivers an event to every open tab of the user; never fails the caller. */
export async function publishToUser(env: Env, userId: string, event: UserEvent): Promise<void> {
  try {
    await env.USER_EVENTS.get(env.USER_EVENTS.idFromName(userId)).publish(event);
  } catch (error) {
    console.error("could not publish a user event", userId, event.type, error);
  }
}
