import { describe, expect, it } from "vitest";
import type { ChatMessage } from "../../../workers/chat/protocol.ts";
import { lastUpdateSeen, mergeChanges, mergeMessages } from "./room-store.ts";

const message = (seq: number, body = `m${seq}`, updatedSeq = seq): ChatMessage => ({
  id: `id${seq}`,
  seq,
  updatedSeq,
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

describe("applying a reconnect's catch-up", () => {
  const shown = [message(3), message(4), message(5)];

  it("replaces edited, deleted and reacted messages by their final state and adds new ones, each once", () => {
    const caughtUp = mergeChanges(shown, [
      message(4, "fixed", 8),
      { ...message(5, "", 9), deletedAt: "x" },
      { ...message(3, "m3", 10), reactions: { "🔥": ["u2"] } },
      message(6, "new", 11),
      message(6, "new", 11),
    ]);
    expect(caughtUp.map((m) => [m.seq, m.body])).toEqual([
      [3, "m3"],
      [4, "fixed"],
      [5, ""],
      [6, "new"],
    ]);
    expect(caughtUp[0]!.reactions).toEqual({ "🔥": ["u2"] });
    expect(caughtUp[2]!.deletedAt).toBe("x");
    expect(lastUpdateSeen(caughtUp)).toBe(11);
  });

  it("leaves a change to an older message not loaded yet to history, so the list has no gap", () => {
    expect(mergeChanges(shown, [message(1, "edited long ago", 12)]).map((m) => m.seq)).toEqual([3, 4, 5]);
  });

  it("never goes back to an older state of a message", () => {
    const edited = mergeChanges(shown, [message(4, "second edit", 9)]);
    expect(mergeChanges(edited, [message(4, "first edit", 8)])[1]!.body).toBe("second edit");
  });

  it("starts the update count at zero for an empty room", () => {
    expect(lastUpdateSeen([])).toBe(0);
  });
});
