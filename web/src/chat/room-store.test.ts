import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../workers/chat/protocol.ts";
import { mergeMessages } from "./room-store.ts";

const message = (seq: number, body = `m${seq}`): ChatMessage => ({
  id: `id${seq}`,
  seq,
  clientId: `c${seq}`,
  roomId: "r",
  userId: "u",
  username: "u",
  displayName: "U",
  body,
  createdAt: new Date(0).toISOString(),
});

describe("merging the room's messages", () => {
  it("keeps each message once, in the room's order, whatever order frames arrive in", () => {
    const shown = [message(1), message(2), message(3)];
    // A reconnect's hello repeats what the page already had and adds what it missed; an ack and
    // the broadcast of the same message both arrive.
    const merged = mergeMessages(shown, [message(3), message(5), message(4), message(5)]);
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it("replaces a message by its edited or deleted version", () => {
    const merged = mergeMessages([message(1), message(2)], [{ ...message(2, "edited"), editedAt: "x" }]);
    expect(merged.map((m) => m.body)).toEqual(["m1", "edited"]);
  });
});
