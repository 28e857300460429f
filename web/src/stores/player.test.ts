import { afterEach, describe, expect, it, vi } from "vitest";
import { track } from "../test/fixtures.tsx";
import { shuffled, usePlayer } from "./player.ts";

const ids = (list: { id: string }[]) => list.map((t) => t.id);
const player = () => usePlayer.getState();
const list = ["a", "b", "c", "d"].map((id) => track(id));

afterEach(() => {
  player().reset();
  usePlayer.setState({ shuffle: false, repeat: "off", volume: 1, muted: false });
  localStorage.clear();
});

describe("player store", () => {
  it("plays from a list: next walks the queue, previous goes back, and the end stops", () => {
    player().play(list[1] as never, list);
    expect(player().current?.id).toBe("b");
    expect(ids(player().queue)).toEqual(["c", "d"]);
    player().next();
    expect(player().current?.id).toBe("c");
    expect(ids(player().history)).toEqual(["b"]);
    player().previous();
    expect(player().current?.id).toBe("b");
    expect(ids(player().queue)).toEqual(["c", "d"]);
    player().next();
    player().next();
    player().next(true);
    expect(player().current?.id).toBe("d");
    expect(player().playing).toBe(false);
  });

  it("previous after the first seconds restarts the track instead", () => {
    player().play(list[0] as never, list);
    player().next();
    player().setTime({ position: 42, duration: 185 });
    const seq = player().seekSeq;
    player().previous();
    expect(player().current?.id).toBe("b");
    expect(player().seekTarget).toBe(0);
    expect(player().seekSeq).toBe(seq + 1);
  });

  it("edits the queue: play next, add, move, remove, clear", () => {
    player().play(list[0] as never, list.slice(0, 2));
    player().playNext(track("x"));
    player().addToQueue(track("z"));
    expect(ids(player().queue)).toEqual(["x", "b", "z"]);
    player().moveInQueue(2, 0);
    expect(ids(player().queue)).toEqual(["z", "x", "b"]);
    player().moveInQueue(0, 5);
    expect(ids(player().queue)).toEqual(["x", "b", "z"]);
    player().removeFromQueue(1);
    expect(ids(player().queue)).toEqual(["x", "z"]);
    player().clearQueue();
    expect(player().queue).toEqual([]);
  });

  it("adding to an empty player starts that track", () => {
    player().addToQueue(track("solo"));
    expect(player().current?.id).toBe("solo");
    expect(player().playing).toBe(true);
  });

  it("shuffles the queue and restores its order when shuffle is turned off", () => {
    player().play(list[0] as never, list);
    player().toggleShuffle();
    expect(new Set(ids(player().queue))).toEqual(new Set(["b", "c", "d"]));
    player().next();
    player().toggleShuffle();
    const upNext = ["b", "c", "d"].filter((id) => id !== player().current?.id);
    expect(ids(player().queue)).toEqual(upNext);
  });

  it("shuffled() keeps every item once", () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16807) % 2147483647;
      return (seed - 1) / 2147483646;
    };
    const out = shuffled([1, 2, 3, 4, 5, 6], random);
    expect([...out].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toEqual([1, 2, 3, 4, 5, 6]);
  });

  it("repeat all starts the list over; repeat one replays the track when it ends, not on Next", () => {
    player().play(list[2] as never, list.slice(2));
    player().cycleRepeat();
    expect(player().repeat).toBe("all");
    player().next(true);
    player().next(true);
    expect(player().current?.id).toBe("c");
    expect(ids(player().queue)).toEqual(["d"]);
    expect(player().playing).toBe(true);
    player().cycleRepeat();
    expect(player().repeat).toBe("one");
    const seq = player().seekSeq;
    player().next(true);
    expect(player().current?.id).toBe("c");
    expect(player().seekSeq).toBe(seq + 1);
    player().next();
    expect(player().current?.id).toBe("d");
  });

  it("clamps seeks and volume", () => {
    player().play(list[0] as never);
    player().setTime({ duration: 100 });
    player().seek(500);
    expect(player().seekTarget).toBe(100);
    player().seek(-3);
    expect(player().seekTarget).toBe(0);
    player().setVolume(1.7);
    expect(player().volume).toBe(1);
    player().toggleMute();
    player().setVolume(0.4);
    expect(player()).toMatchObject({ volume: 0.4, muted: false });
  });

  it("reset (sign-out) stops and forgets the queue but keeps the listener's settings", () => {
    player().play(list[0] as never, list);
    player().setVolume(0.3);
    player().setQuality("low");
    player().reset();
    expect(player()).toMatchObject({
      current: null,
      queue: [],
      history: [],
      playing: false,
      volume: 0.3,
      quality: "low",
    });
  });

  it("saves the queue, position and settings, and comes back paused at the same place", async () => {
    player().play(list[0] as never, list);
    player().setTime({ position: 61.5, duration: 185 });
    player().setVolume(0.5);
    window.dispatchEvent(new Event("pagehide"));
    const saved = JSON.parse(localStorage.getItem("veza:player") ?? "{}");
    expect(saved.state).toMatchObject({ position: 61.5, volume: 0.5 });
    expect(saved.state.current.id).toBe("a");
    expect(saved.state.playing).toBeUndefined();

    // A reload: a fresh copy of the module hydrates from what was saved.
    vi.resetModules();
    const reloaded = (await import("./player.ts")).usePlayer.getState();
    expect(reloaded.current?.id).toBe("a");
    expect(ids(reloaded.queue)).toEqual(["b", "c", "d"]);
    expect(reloaded).toMatchObject({ position: 61.5, playing: false, volume: 0.5, seekTarget: 61.5 });
  });
});
