import { create } from "zustand";
import { createJSONStorage, persist, type StateStorage } from "zustand/middleware";
import type { TrackResponse } from "../../../workers/api-types.ts";

export type RepeatMode = "off" | "all" | "one";
export type QualityChoice = "auto" | "low" | "medium" | "high";

type PlayerData = {
  current: TrackResponse | null;
  /** Up next, in the order it will play. */
  queue: TrackResponse[];
  /** Played before the current track, oldest first (what Previous goes back to). */
  history: TrackResponse[];
  /** The queue in its original order while shuffle is on (so turning it off restores it). */
  unshuffled: TrackResponse[] | null;
  playing: boolean;
  /** Playback position and length of the current track, in seconds. */
  position: number;
  duration: number;
  /** A seek asked for by a control; the audio engine applies it when `seekSeq` changes. */
  seekTarget: number;
  seekSeq: number;
  volume: number;
  muted: boolean;
  shuffle: boolean;
  repeat: RepeatMode;
  quality: QualityChoice;
  normalize: boolean;
};

type PlayerActions = {
  /** Plays `track`, with what follows it in `list` (if given) up next. */
  play: (track: TrackResponse, list?: TrackResponse[]) => void;
  playNext: (track: TrackResponse) => void;
  addToQueue: (track: TrackResponse) => void;
  removeFromQueue: (index: number) => void;
  moveInQueue: (from: number, to: number) => void;
  clearQueue: () => void;
  /** `ended`: the track finished on its own (repeat-one replays it; a manual Next skips). */
  next: (ended?: boolean) => void;
  previous: () => void;
  toggle: () => void;
  setPlaying: (playing: boolean) => void;
  setTime: (time: { position?: number; duration?: number }) => void;
  seek: (seconds: number) => void;
  setVolume: (volume: number) => void;
  toggleMute: () => void;
  toggleShuffle: () => void;
  cycleRepeat: () => void;
  setQuality: (quality: QualityChoice) => void;
  setNormalize: (normalize: boolean) => void;
  /** Stops and forgets the queue (sign-out); listening preferences stay. */
  reset: () => void;
};

export type PlayerState = PlayerData & PlayerActions;

const HISTORY_LIMIT = 100;
/** Previous within the first seconds goes to the previous track; later it restarts this one. */
export const RESTART_THRESHOLD_S = 3;

const idle = {
  current: null,
  queue: [],
  history: [],
  unshuffled: null,
  playing: false,
  position: 0,
  duration: 0,
} satisfies Partial<PlayerData>;

/** Fisher–Yates on a copy; `random` is injectable for tests. */
export function shuffled<T>(items: readonly T[], random: () => number = Math.random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** `list` without the first entry for `track` (entries are compared by id: saved state is a copy). */
const without = (list: TrackResponse[], track: TrackResponse | undefined) => {
  const index = track ? list.findIndex((t) => t.id === track.id) : -1;
  return index < 0 ? list : [...list.slice(0, index), ...list.slice(index + 1)];
};

const pushHistory = (history: TrackResponse[], track: TrackResponse | null) =>
  track ? [...history, track].slice(-HISTORY_LIMIT) : history;

/**
 * Writes to localStorage at most once a second (the position changes four times a second), and
 * at once when the page is hidden or closed.
 */
function throttledLocalStorage(delayMs = 1000): StateStorage & { flush: () => void } {
  const pending = new Map<string, string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    for (const [name, value] of pending) localStorage.setItem(name, value);
    pending.clear();
  };
  if (typeof window !== "undefined") {
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => document.visibilityState === "hidden" && flush());
  }
  return {
    flush,
    getItem: (name) => pending.get(name) ?? localStorage.getItem(name),
    setItem: (name, value) => {
      pending.set(name, value);
      timer ??= setTimeout(flush, delayMs);
    },
    removeItem: (name) => {
      pending.delete(name);
      localStorage.removeItem(name);
    },
  };
}

const savedState = typeof localStorage === "undefined" ? null : throttledLocalStorage();
/** Writes the saved player state now (sign-out must not leave the last track in storage). */
export const flushSavedPlayer = () => savedState?.flush();

export const usePlayer = create<PlayerState>()(
  persist(
    (set, get) => ({
      ...idle,
      seekTarget: 0,
      seekSeq: 0,
      volume: 1,
      muted: false,
      shuffle: false,
      repeat: "off",
      quality: "auto",
      normalize: true,

      play: (track, list = []) => {
        const index = list.findIndex((t) => t.id === track.id);
        const rest = index >= 0 ? list.slice(index + 1) : list.filter((t) => t.id !== track.id);
        const { shuffle, current, history } = get();
        set({
          current: track,
          history: pushHistory(history, current),
          queue: shuffle ? shuffled(rest) : rest,
          unshuffled: shuffle ? rest : null,
          playing: true,
          position: 0,
          duration: 0,
        });
      },
      playNext: (track) =>
        set((s) => ({ queue: [track, ...s.queue], unshuffled: s.unshuffled && [track, ...s.unshuffled] })),
      addToQueue: (track) =>
        set((s) =>
          s.current
            ? { queue: [...s.queue, track], unshuffled: s.unshuffled && [...s.unshuffled, track] }
            : { current: track, playing: true, position: 0, duration: 0 },
        ),
      removeFromQueue: (index) =>
        set((s) => {
          const removed = s.queue[index];
          return {
            queue: s.queue.filter((_, i) => i !== index),
            unshuffled: s.unshuffled && without(s.unshuffled, removed),
          };
        }),
      moveInQueue: (from, to) =>
        set((s) => {
          if (from === to || from < 0 || from >= s.queue.length) return {};
          const queue = [...s.queue];
          const [moved] = queue.splice(from, 1);
          queue.splice(Math.max(0, Math.min(to, queue.length)), 0, moved as TrackResponse);
          return { queue };
        }),
      clearQueue: () => set({ queue: [], unshuffled: null }),

      next: (ended = false) => {
        const s = get();
        if (ended && s.repeat === "one" && s.current) {
          set({ position: 0, seekTarget: 0, seekSeq: s.seekSeq + 1, playing: true });
          return;
        }
        const [upNext, ...rest] = s.queue;
        if (upNext) {
          set({
            current: upNext,
            queue: rest,
            unshuffled: s.unshuffled && without(s.unshuffled, upNext),
            history: pushHistory(s.history, s.current),
            playing: true,
            position: 0,
            duration: 0,
          });
          return;
        }
        if (s.repeat === "all" && s.current) {
          // The end of the list: start it over (everything played, then the last track).
          const all = [...s.history, s.current];
          const order = s.shuffle ? shuffled(all) : all;
          set({
            current: order[0] ?? null,
            queue: order.slice(1),
            unshuffled: s.shuffle ? all.slice(1) : null,
            history: [],
            playing: true,
            position: 0,
            duration: 0,
          });
          return;
        }
        set({ playing: false, position: 0, seekTarget: 0, seekSeq: s.seekSeq + 1 });
      },
      previous: () => {
        const s = get();
        const last = s.history[s.history.length - 1];
        if (s.position > RESTART_THRESHOLD_S || !last) {
          set({ position: 0, seekTarget: 0, seekSeq: s.seekSeq + 1 });
          return;
        }
        set({
          current: last,
          history: s.history.slice(0, -1),
          queue: s.current ? [s.current, ...s.queue] : s.queue,
          unshuffled: s.unshuffled && s.current ? [s.current, ...s.unshuffled] : s.unshuffled,
          playing: true,
          position: 0,
          duration: 0,
        });
      },
      toggle: () => set((s) => ({ playing: s.current ? !s.playing : false })),
      setPlaying: (playing) => set({ playing }),
      setTime: (time) => set(time),
      seek: (seconds) =>
        set((s) => {
          const limit = s.duration > 0 ? s.duration : (s.current?.durationMs ?? 0) / 1000;
          const target = Math.max(0, Math.min(seconds, limit || seconds));
          return { position: target, seekTarget: target, seekSeq: s.seekSeq + 1 };
        }),
      setVolume: (volume) => set({ volume: Math.max(0, Math.min(1, volume)), muted: false }),
      toggleMute: () => set((s) => ({ muted: !s.muted })),
      toggleShuffle: () =>
        set((s) =>
          s.shuffle
            ? { shuffle: false, queue: s.unshuffled ?? s.queue, unshuffled: null }
            : { shuffle: true, unshuffled: s.queue, queue: shuffled(s.queue) },
        ),
      cycleRepeat: () => set((s) => ({ repeat: s.repeat === "off" ? "all" : s.repeat === "all" ? "one" : "off" })),
      setQuality: (quality) => set({ quality }),
      setNormalize: (normalize) => set({ normalize }),
      reset: () => set({ ...idle }),
    }),
    {
      name: "veza:player",
      version: 1,
      storage: createJSONStorage(() => savedState as StateStorage),
      // After a reload the player comes back paused where it was.
      partialize: (s) => ({
        current: s.current,
        queue: s.queue,
        history: s.history,
        unshuffled: s.unshuffled,
        position: s.position,
        duration: s.duration,
        volume: s.volume,
        muted: s.muted,
        shuffle: s.shuffle,
        repeat: s.repeat,
        quality: s.quality,
        normalize: s.normalize,
      }),
      merge: (saved, current) => {
        const restored = { ...current, ...(saved as Partial<PlayerData>) };
        return { ...restored, playing: false, seekTarget: restored.position, seekSeq: 1 };
      },
    },
  ),
);
