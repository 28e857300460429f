import { DurableObject } from "cloudflare:workers";

/**
 * A per-user live channel: the user's open tabs hold hibernating WebSockets here, and the
 * Worker publishes events (a track's status change) to every one of them.
 */
export class UserEvents extends DurableObject {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426 });
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async publish(event: Record<string, unknown>): Promise<number> {
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

  override async webSocketMessage(socket: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (message === "ping") socket.send("pong");
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    socket.close(code === 1005 ? 1000 : code, "closing");
  }
}
