import {
  type ChatMessage,
  type ClientFrame,
  type ErrorCode,
  flattenFrames,
  type ServerFrame,
} from "../../../workers/chat/protocol.ts";
import { authedFetch, errorMessage } from "../api.ts";
import { roomSocketUrl } from "./room-store.ts";

export type ShareItem = { kind: "track" | "playlist"; id: string };

/** Why a share was refused: the room's error code (when it gave one) and its message. */
export class ShareRefused extends Error {
  constructor(
    message: string,
    readonly code?: ErrorCode,
  ) {
    super(message);
  }
}

const SHARE_TIMEOUT_MS = 15_000;

/**
 * Posts a shared track or playlist to a room without opening it: a short-lived socket sends the
 * `send` frame and waits for its ack (or the room's refusal, e.g. `share_not_visible`).
 */
export async function shareToRoom(roomId: string, item: ShareItem): Promise<ChatMessage> {
  const response = await authedFetch(`/api/v1/rooms/${encodeURIComponent(roomId)}/ticket`, { method: "POST" });
  if (!response.ok) throw new ShareRefused(await errorMessage(response));
  const { ticket } = (await response.json()) as { ticket: string };
  const clientId = crypto.randomUUID();
  const ws = new WebSocket(roomSocketUrl(roomId, ticket));
  return new Promise<ChatMessage>((resolve, reject) => {
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      ws.onclose = null;
      ws.close(1000, "shared");
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(new ShareRefused("The room did not answer."))),
      SHARE_TIMEOUT_MS,
    );
    ws.onmessage = (event) => {
      if (typeof event.data !== "string" || event.data === "pong") return;
      for (const frame of flattenFrames(JSON.parse(event.data) as ServerFrame)) {
        if (frame.type === "hello") {
          const send: ClientFrame = { type: "send", clientId, body: "", share: item };
          ws.send(JSON.stringify(send));
        } else if (frame.type === "ack" && frame.clientId === clientId) {
          finish(() => resolve(frame.message));
        } else if (frame.type === "error" && (frame.clientId === clientId || !frame.clientId)) {
          finish(() => reject(new ShareRefused(frame.message, frame.code)));
        }
      }
    };
    ws.onclose = (event) => finish(() => reject(new ShareRefused(event.reason || "The room closed the connection.")));
  });
}
