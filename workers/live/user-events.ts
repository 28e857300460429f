import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { inboxOf } from "../notifications/inbox/notification-inbox.ts";
import type { Notification } from "../notifications/protocol.ts";
import { errorFields, log, logged } from "../shared/log.ts";
import { admitTicketedSocket, pruneAdmittedTickets, socketResponse } from "./ticket-admission.ts";

export type UserEvent =
  | {
      type: "track.status";
      trackId: string;
      status: "processing" | "ready" | "failed";
      failureReason?: string;
    }
  /** A notification stored in the user's inbox (a grouped one again, with the same id, when it grows). */
  | { type: "notification"; notification: Notification; unreadCount: number }
  /** Notifications were marked read (`ids: null`: all of them), maybe in another tab. */
  | { type: "notifications.read"; ids: string[] | null; unreadCount: number };

/**
 * A per-user live channel: the user's open tabs hold hibernating WebSockets here, and the
 * Worker publishes events (a track's status change) to every one of them.
 */
export class UserEvents extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    const admitted = await admitTicketedSocket(this.ctx.storage, request);
    if (admitted instanceof Response) return admitted;
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], [admitted.userId]);
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
    // The inbox sends notifications live only to users with a channel open (a fan-out to 100,000
    // followers then wakes only the objects of those online).
    await setLive(this.env, admitted.userId, true);
    return socketResponse(pair[0]);
  }

  override async alarm(): Promise<void> {
    await logged("user_events.alarm", { object: "UserEvents" }, () => pruneAdmittedTickets(this.ctx.storage));
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
    const [userId] = this.ctx.getTags(socket);
    const others = this.ctx.getWebSockets().filter((s) => s !== socket && s.readyState === WebSocket.OPEN);
    if (userId && others.length === 0) await setLive(this.env, userId, false);
  }
}

/** Delivers an event to every open tab of the user; never fails the caller. */
export async function publishToUser(env: Env, userId: string, event: UserEvent): Promise<void> {
  try {
    await env.USER_EVENTS.get(env.USER_EVENTS.idFromName(userId)).publish(event);
  } catch (error) {
    log("error", "user_events.publish_failed", {
      object: "UserEvents",
      userId,
      type: event.type,
      ...errorFields(error),
    });
  }
}

async function setLive(env: Env, userId: string, live: boolean): Promise<void> {
  try {
    await inboxOf(env, userId).setLive(userId, live);
  } catch (error) {
    log("error", "user_events.live_mark_failed", { object: "UserEvents", userId, live, ...errorFields(error) });
  }
}
