import { create } from "zustand";
import type { TrackResponse } from "../../../workers/catalog/schemas.ts";

type PlayerState = {
  current: TrackResponse | null;
  queue: TrackResponse[];
  playing: boolean;
  /** Playback position and length of the current track, in seconds. */
  position: number;
  duration: number;
  /** Plays `track`, with the rest of `queue` (if given) up next. */
  play: (track: TrackResponse, queue?: TrackResponse[]) => void;
  setPlaying: (playing: boolean) => void;
  setTime: (time: { position?: number; duration?: number }) => void;
  next: () => void;
};

export const usePlayer = create<PlayerState>((set, get) => ({
  current: null,
  queue: [],
  playing: false,
  position: 0,
  duration: 0,
  play: (track, queue = []) => {
    const index = queue.findIndex((t) => t.id === track.id);
    set({
      current: track,
      queue: index >= 0 ? queue.slice(index + 1) : queue,
      playing: true,
      position: 0,
      duration: 0,
    });
  },
  setPlaying: (playing) => set({ playing }),
  setTime: (time) => set(time),
  next: () => {
    const [upNext, ...rest] = get().queue;
    set(upNext ? { current: upNext, queue: rest, playing: true, position: 0, duration: 0 } : { playing: false });
  },
}));
