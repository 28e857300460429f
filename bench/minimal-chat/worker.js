// The platform's floor for the chat benchmark: one hibernating Durable Object that only relays each
// frame to every socket (no auth, no storage, no parsing).
import { DurableObject } from "cloudflare:workers";

export class Relay extends DurableObject {
  async fetch() {
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(_socket, message) {
    for (const socket of this.ctx.getWebSockets()) {
      try {
        socket.send(message);
      } catch {
        // closed meanwhile
      }
    }
  }

  async webSocketClose(socket, code) {
    socket.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
  }
}

export default {
  async fetch(request, env) {
    if (new URL(request.url).pathname === "/ready") return new Response("ok");
    const room = new URL(request.url).searchParams.get("room") ?? "bench";
    return env.RELAY.get(env.RELAY.idFromName(room)).fetch(request);
  },
};
