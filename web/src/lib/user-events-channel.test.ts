import { afterEach, describe, expect, it, vi } from "vitest";
import { createUserEventsChannel } from "./user-events-channel.ts";

class FakeSocket {
  onopen: (() => void) | null = null;
  onmessage: ((message: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: URL) {}
  close() {
    this.closed = true;
  }
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function channelWithFakeSockets() {
  const sockets: FakeSocket[] = [];
  const channel = createUserEventsChannel((url) => {
    const socket = new FakeSocket(url);
    sockets.push(socket);
    return socket as unknown as WebSocket;
  });
  return { channel, sockets };
}

describe("user events channel", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shares one socket between listeners and closes it with the last one", async () => {
    const tickets = vi.fn(async () => Response.json({ ticket: "t1" }));
    vi.stubGlobal("fetch", tickets);
    const { channel, sockets } = channelWithFakeSockets();
    const bell: unknown[] = [];
    const badge: unknown[] = [];
    const stopBell = channel.listen("u1", (e) => bell.push(e));
    const stopBadge = channel.listen("u1", (e) => badge.push(e));
    await flush();
    await flush();
    expect(sockets).toHaveLength(1);
    expect(tickets).toHaveBeenCalledTimes(1);
    expect(sockets[0]?.url.searchParams.get("ticket")).toBe("t1");

    sockets[0]?.onmessage?.({ data: JSON.stringify({ type: "notification" }) });
    expect(bell).toEqual([{ type: "notification" }]);
    expect(badge).toEqual([{ type: "notification" }]);

    stopBell();
    expect(sockets[0]?.closed).toBe(false);
    stopBadge();
    expect(sockets[0]?.closed).toBe(true);
    expect(channel.open).toBe(0);
  });

  it("opens a new socket for another user and stops listening to the old one", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => Response.json({ ticket: "t" })),
    );
    const { channel, sockets } = channelWithFakeSockets();
    const first: unknown[] = [];
    channel.listen("u1", (e) => first.push(e));
    await flush();
    await flush();
    const second: unknown[] = [];
    channel.listen("u2", (e) => second.push(e));
    await flush();
    await flush();
    expect(sockets).toHaveLength(2);
    expect(sockets[0]?.closed).toBe(true);
    sockets[0]?.onmessage?.({ data: JSON.stringify({ type: "stale" }) });
    expect(first).toEqual([]);
    expect(second).toEqual([]);
    sockets[1]?.onmessage?.({ data: JSON.stringify({ type: "fresh" }) });
    expect(second).toEqual([{ type: "fresh" }]);
  });

  it("reconnects after the socket closes while someone listens", async () => {
    vi.useFakeTimers();
    try {
      vi.stubGlobal(
        "fetch",
        vi.fn(async () => Response.json({ ticket: "t" })),
      );
      const { channel, sockets } = channelWithFakeSockets();
      channel.listen("u1", () => {});
      await vi.advanceTimersByTimeAsync(0);
      expect(sockets).toHaveLength(1);
      sockets[0]?.onclose?.();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(sockets).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
