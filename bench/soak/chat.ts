// The soak's chat side: one WebSocket per user in one public room. A message is sent only by an
// idle socket (its previous message acknowledged, and at most a few a second so the per-user send
// limit never trips); the ids of acknowledged messages are kept to look for in the history at the
// end. A socket that drops reconnects with a new ticket and sends its unacknowledged messages
// again under the same clientId (the room stores a clientId once).
import { randomBytes } from "node:crypto";
import { WebSocket } from "ws";
import { flattenFrames, PING, PONG, type ServerFrame } from "../../workers/chat/protocol.ts";
import type { Http, User } from "./http.ts";

/** Below the room's 30 messages per 10 s per user. */
const MIN_GAP_MS = 400;
const ACK_TIMEOUT_MS = 15_000;
/** As the web app does: the room closes a socket it has not heard from for 70 s. */
const PING_EVERY_MS = 25_000;

export class ChatStats {
  sent = 0;
  acked = 0;
  duplicates = 0;
  timeouts = 0;
  reconnects = 0;
  readonly closeCodes = new Map<number, number>();
  readonly errors = new Map<string, number>();
  readonly ackedIds = new Set<string>();
  readonly ackMs: number[] = [];
}

type Pending = { body: string; sentAt: number; settle: () => void };

class ChatSocket {
  private socket: WebSocket | undefined;
  private readonly pending = new Map<string, Pending>();
  private lastSendAt = 0;
  private closing = false;

  private readonly http: Http;
  private readonly wsBase: string;
  private readonly roomId: string;
  private readonly user: User;
  private readonly stats: ChatStats;

  constructor(http: Http, wsBase: string, roomId: string, user: User, stats: ChatStats) {
    this.http = http;
    this.wsBase = wsBase;
    this.roomId = roomId;
    this.user = user;
    this.stats = stats;
  }

  get idle(): boolean {
    return (
      this.socket?.readyState === WebSocket.OPEN &&
      this.pending.size === 0 &&
      Date.now() - this.lastSendAt >= MIN_GAP_MS
    );
  }

  async connect(): Promise<void> {
    const { ticket } = await this.http.json("chat", "POST", `/api/v1/rooms/${this.roomId}/ticket`, 200, {
      token: await this.user.token(),
    });
    const socket = new WebSocket(`${this.wsBase}/api/v1/rooms/${this.roomId}/ws?ticket=${encodeURIComponent(ticket)}`, {
      perMessageDeflate: false,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no hello from the room within 30 s")), 30_000);
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on("message", (data: Buffer) => {
        if (data.toString() === PONG) return;
        for (const frame of flattenFrames(JSON.parse(data.toString()) as ServerFrame)) {
          if (frame.type === "hello") {
            clearTimeout(timer);
            resolve();
          } else this.receive(frame);
        }
      });
    });
    socket.on("error", () => {}); // a close follows
    const pinger = setInterval(() => socket.send(PING), PING_EVERY_MS);
    socket.once("close", (code: number) => {
      clearInterval(pinger);
      if (this.closing) return;
      this.stats.reconnects++;
      this.stats.closeCodes.set(code, (this.stats.closeCodes.get(code) ?? 0) + 1);
      setTimeout(() => void this.reconnect(), 500);
    });
    this.socket = socket;
    // Whatever was in flight when the previous socket dropped goes again, under its clientId.
    for (const [clientId, p] of this.pending) this.write(clientId, p.body);
  }

  private async reconnect(): Promise<void> {
    try {
      await this.connect();
    } catch {
      if (!this.closing) setTimeout(() => void this.reconnect(), 2_000);
    }
  }

  private receive(frame: ServerFrame): void {
    if (frame.type === "ack") {
      const p = this.pending.get(frame.clientId);
      if (!p) return;
      this.pending.delete(frame.clientId);
      this.stats.acked++;
      if (frame.duplicate) this.stats.duplicates++;
      this.stats.ackedIds.add(frame.message.id);
      this.stats.ackMs.push(Date.now() - p.sentAt);
      p.settle();
    } else if (frame.type === "error" && frame.clientId) {
      const p = this.pending.get(frame.clientId);
      if (!p) return;
      this.pending.delete(frame.clientId);
      this.stats.errors.set(frame.code, (this.stats.errors.get(frame.code) ?? 0) + 1);
      p.settle();
    }
  }

  private write(clientId: string, body: string): void {
    this.socket?.send(JSON.stringify({ type: "send", clientId, body }));
  }

  /** Sends one message and waits for its ack (or error, or the timeout). */
  send(): Promise<void> {
    const clientId = `soak-${randomBytes(8).toString("hex")}`;
    const body = `soak message ${clientId}`;
    this.lastSendAt = Date.now();
    this.stats.sent++;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(clientId)) return;
        this.stats.timeouts++;
        resolve();
      }, ACK_TIMEOUT_MS);
      this.pending.set(clientId, {
        body,
        sentAt: Date.now(),
        settle: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      this.write(clientId, body);
    });
  }

  close(): void {
    this.closing = true;
    this.socket?.close(1000, "soak over");
  }
}

export class ChatRoomClients {
  readonly stats = new ChatStats();
  private readonly sockets: ChatSocket[];
  private next = 0;

  private readonly http: Http;
  readonly roomId: string;

  constructor(http: Http, roomId: string, users: User[]) {
    this.http = http;
    this.roomId = roomId;

    const wsBase = http.baseUrl.replace(/^http/, "ws");
    this.sockets = users.map((user) => new ChatSocket(http, wsBase, roomId, user, this.stats));
  }

  async connect(): Promise<void> {
    for (const socket of this.sockets) await socket.connect();
  }

  /** A socket free to send now, round robin; undefined when every one is busy. */
  idleSocket(): ChatSocket | undefined {
    for (let i = 0; i < this.sockets.length; i++) {
      const socket = this.sockets[(this.next + i) % this.sockets.length] as ChatSocket;
      if (socket.idle) {
        this.next = (this.next + i + 1) % this.sockets.length;
        return socket;
      }
    }
    return undefined;
  }

  close(): void {
    for (const socket of this.sockets) socket.close();
  }

  /** Every message id in the room's history, paging back from the newest. */
  async historyIds(user: User): Promise<Set<string>> {
    const ids = new Set<string>();
    let before: string | null | undefined;
    do {
      const query = `limit=100${before ? `&before=${encodeURIComponent(before)}` : ""}`;
      const page = await this.http.json("verify", "GET", `/api/v1/rooms/${this.roomId}/messages?${query}`, 200, {
        token: await user.token(),
      });
      for (const message of page.items as { id: string }[]) ids.add(message.id);
      before = page.nextCursor;
    } while (before);
    return ids;
  }
}
