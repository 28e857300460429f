import { SELF } from "cloudflare:test";
import { expect, vi } from "vitest";
import { call, json, type TestUser } from "../../test/http.ts";
import { type ChatMessage, flattenFrames, type ServerFrame } from "../protocol.ts";

export async function createRoom(owner: TestUser, kind: "public" | "private" = "public", name = "Room") {
  const response = await call("POST", "/api/v1/rooms", { token: owner.token, body: { name, kind } });
  expect(response.status).toBe(201);
  return (await json(response)) as { id: string; name: string; kind: string };
}

export async function ticketFor(user: TestUser, roomId: string): Promise<string> {
  const response = await call("POST", `/api/v1/rooms/${roomId}/ticket`, { token: user.token });
  if (response.status !== 200) throw new Error(`ticket refused: ${response.status} ${await response.text()}`);
  return (await json(response)).ticket;
}

export function upgrade(roomId: string, query: string): Promise<Response> {
  return SELF.fetch(`https://veza.test/api/v1/rooms/${roomId}/ws?${query}`, { headers: { upgrade: "websocket" } });
}

/** A connected test client: every frame it received (batches unwrapped), in order. */
export class ChatClient {
  readonly frames: ServerFrame[] = [];
  closed: { code: number; reason: string } | undefined;

  constructor(readonly socket: WebSocket) {
    socket.addEventListener("message", (event) => {
      this.frames.push(...flattenFrames(JSON.parse(String(event.data)) as ServerFrame));
    });
    socket.addEventListener("close", (event) => {
      this.closed = { code: event.code, reason: event.reason };
    });
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** Waits for a frame matching `match` among those received after `from` (an index into frames). */
  async next<T extends ServerFrame["type"]>(
    type: T,
    match: (frame: Extract<ServerFrame, { type: T }>) => boolean = () => true,
    from = 0,
  ): Promise<Extract<ServerFrame, { type: T }>> {
    return vi.waitFor(
      () => {
        const found = this.frames
          .slice(from)
          .find((f): f is Extract<ServerFrame, { type: T }> => f.type === type && match(f as never));
        if (!found) throw new Error(`no ${type} frame yet; got ${this.frames.map((f) => f.type).join(",")}`);
        return found;
      },
      { timeout: 5_000, interval: 10 },
    );
  }

  hello() {
    return this.next("hello");
  }

  /** Every message this client has seen in the room: hello, history and live frames, in order of arrival. */
  messages(): ChatMessage[] {
    return this.frames.flatMap((f) => (f.type === "hello" ? f.messages : f.type === "message" ? [f.message] : []));
  }

  async waitClosed(): Promise<{ code: number; reason: string }> {
    return vi.waitFor(
      () => {
        if (!this.closed) throw new Error("still open");
        return this.closed;
      },
      { timeout: 5_000, interval: 10 },
    );
  }

  close(): void {
    try {
      this.socket.close(1000, "done");
    } catch {
      // already closed
    }
  }
}

/** Connects to a room; `since` is the last message id seen, or the catch-up query to send. */
export async function connect(
  user: TestUser,
  roomId: string,
  since?: string | { updatedSince: number },
): Promise<ChatClient> {
  const query = new URLSearchParams({ ticket: await ticketFor(user, roomId) });
  if (typeof since === "string") query.set("since", since);
  else if (since) query.set("updatedSince", String(since.updatedSince));
  const response = await upgrade(roomId, query.toString());
  if (response.status !== 101) throw new Error(`upgrade refused: ${response.status} ${await response.text()}`);
  const socket = response.webSocket as WebSocket;
  socket.accept();
  const client = new ChatClient(socket);
  await client.hello();
  return client;
}

let clientCounter = 0;
export function clientId(): string {
  clientCounter++;
  return `c${clientCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Sends a message and waits for its ack. */
export async function say(client: ChatClient, body: string, extra: Record<string, unknown> = {}): Promise<ChatMessage> {
  const id = clientId();
  const from = client.frames.length;
  client.send({ type: "send", clientId: id, body, ...extra });
  const ack = await client.next("ack", (f) => f.clientId === id, from);
  return ack.message;
}
