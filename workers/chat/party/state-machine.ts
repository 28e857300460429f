// The party's state machine as pure functions: the room object orders the commands, checks the
// tracks' visibility, stores and broadcasts; this decides what each command does and who may send it.
import {
  CONTROL_ACTIONS,
  HOST_ACTIONS,
  livePositionMs,
  MAX_COHOSTS,
  MAX_QUEUE,
  MAX_SUGGESTIONS,
  type PartyFrame,
  type PartyState,
  type PartyTrack,
  QUEUE_ACTIONS,
} from "./party-protocol.ts";

/** A finished track may be reported this early (clients' clocks and decoders differ a little). */
export const ENDED_SLACK_MS = 2_000;

export type PartyContext = {
  now: number;
  actorId: string;
  /** Users present in the room, longest-present first. */
  present: string[];
  /** The card of the command's track (its visibility already checked), when it names one. */
  track?: PartyTrack;
};

export type PartyRefusal = {
  ok: false;
  code: "forbidden" | "no_party" | "invalid_party_action" | "not_found";
  message: string;
};
export type PartyResult = { ok: true; state: PartyState | null; unchanged?: true } | PartyRefusal;

const refuse = (code: PartyRefusal["code"], message: string): PartyRefusal => ({ ok: false, code, message });

export function canControl(state: PartyState, userId: string): boolean {
  return state.hostId === userId || state.coHostIds.includes(userId);
}

/** The track id a command brings in (whose visibility the room checks first), if any. */
export function trackOfCommand(state: PartyState | null, frame: PartyFrame): string | undefined {
  if (frame.action === "accept") return frame.trackId;
  if (["start", "load", "queue_add", "suggest"].includes(frame.action)) return frame.trackId;
  return state && frame.action === "next" ? state.queue[0] : undefined;
}

/** Keeps the track cards of the ids still referenced, and bumps the version. */
function settle(state: PartyState, _now: number, added?: PartyTrack): PartyState {
  const cards = { ...state.tracks, ...(added ? { [added.id]: added } : {}) };
  const used = new Set([
    ...(state.trackId ? [state.trackId] : []),
    ...state.queue,
    ...state.suggestions.map((s) => s.trackId),
  ]);
  const tracks: Record<string, PartyTrack> = {};
  for (const id of used) if (cards[id]) tracks[id] = cards[id];
  return { ...state, tracks, version: state.version + 1 };
}

/** The current track's position fixed at `now` (the base every control starts from). */
function frozen(state: PartyState, now: number): Pick<PartyState, "positionMs" | "at"> {
  return { positionMs: livePositionMs(state, now, state.tracks[state.trackId ?? ""]?.durationMs), at: now };
}

/** Moves to the first queued track (or to nothing), clearing the skip votes. */
function advance(state: PartyState, now: number): PartyState {
  const [upNext, ...rest] = state.queue;
  return {
    ...state,
    trackId: upNext ?? null,
    queue: rest,
    positionMs: 0,
    at: now,
    playing: upNext ? state.playing || state.trackId === null : false,
    skipVotes: [],
  };
}

export function applyPartyCommand(state: PartyState | null, frame: PartyFrame, ctx: PartyContext): PartyResult {
  const { now, actorId, track } = ctx;
  if (frame.action === "start") {
    if (state && !canControl(state, actorId))
      return refuse("forbidden", "Only the host and co-hosts control the party.");
    if (frame.trackId && !track) return refuse("not_found", "No such track.");
    const base: PartyState = state ?? {
      trackId: null,
      positionMs: 0,
      playing: false,
      at: now,
      hostId: actorId,
      queue: [],
      coHostIds: [],
      suggestions: [],
      skipVotes: [],
      tracks: {},
      startedAt: now,
      version: 0,
    };
    const started = frame.trackId
      ? { ...base, trackId: frame.trackId, positionMs: frame.positionMs ?? 0, at: now, playing: true, skipVotes: [] }
      : base;
    return { ok: true, state: settle(started, now, track) };
  }
  if (!state) return refuse("no_party", "There is no party in this room: start one.");

  const controls = (CONTROL_ACTIONS as readonly string[]).includes(frame.action);
  const queueing = (QUEUE_ACTIONS as readonly string[]).includes(frame.action);
  if ((controls || queueing) && !canControl(state, actorId)) {
    return refuse("forbidden", "Only the host and co-hosts control the party.");
  }
  if ((HOST_ACTIONS as readonly string[]).includes(frame.action) && state.hostId !== actorId) {
    return refuse("forbidden", "Only the host chooses co-hosts.");
  }
  const duration = state.tracks[state.trackId ?? ""]?.durationMs ?? null;

  switch (frame.action) {
    case "end":
      return { ok: true, state: null };
    case "play":
      if (!state.trackId) return refuse("invalid_party_action", "Load a track first.");
      return { ok: true, state: settle({ ...state, ...frozen(state, now), playing: true }, now) };
    case "pause":
      return { ok: true, state: settle({ ...state, ...frozen(state, now), playing: false }, now) };
    case "seek": {
      if (frame.positionMs === undefined) return refuse("invalid_party_action", "seek needs positionMs.");
      if (!state.trackId) return refuse("invalid_party_action", "Load a track first.");
      const positionMs = duration ? Math.min(frame.positionMs, duration) : frame.positionMs;
      return { ok: true, state: settle({ ...state, positionMs, at: now }, now) };
    }
    case "load": {
      if (!frame.trackId) return refuse("invalid_party_action", "load needs trackId.");
      if (!track) return refuse("not_found", "No such track.");
      const loaded = {
        ...state,
        trackId: track.id,
        positionMs: frame.positionMs ?? 0,
        at: now,
        playing: true,
        skipVotes: [],
      };
      return { ok: true, state: settle(loaded, now, track) };
    }
    case "next":
      return { ok: true, state: settle(advance(state, now), now) };
    case "ended": {
      // Every member's player reports the end; the first report that matches advances, the rest are no-ops.
      const finished =
        state.playing &&
        frame.trackId === state.trackId &&
        duration !== null &&
        livePositionMs(state, now) >= duration - ENDED_SLACK_MS;
      return finished ? { ok: true, state: settle(advance(state, now), now) } : { ok: true, state, unchanged: true };
    }
    case "queue_add": {
      if (!frame.trackId) return refuse("invalid_party_action", "queue_add needs trackId.");
      if (!track) return refuse("not_found", "No such track.");
      if (state.queue.length >= MAX_QUEUE) return refuse("invalid_party_action", "The queue is full.");
      const queue = [...state.queue];
      queue.splice(Math.min(frame.index ?? queue.length, queue.length), 0, track.id);
      return { ok: true, state: settle({ ...state, queue }, now, track) };
    }
    case "queue_remove": {
      if (frame.index === undefined || frame.index >= state.queue.length) {
        return refuse("invalid_party_action", "No queue entry at that index.");
      }
      return { ok: true, state: settle({ ...state, queue: state.queue.filter((_, i) => i !== frame.index) }, now) };
    }
    case "queue_move": {
      const { index, to } = frame;
      if (index === undefined || to === undefined || index >= state.queue.length) {
        return refuse("invalid_party_action", "queue_move needs an existing index and a target.");
      }
      const queue = [...state.queue];
      const [moved] = queue.splice(index, 1);
      queue.splice(Math.min(to, queue.length), 0, moved as string);
      return { ok: true, state: settle({ ...state, queue }, now) };
    }
    case "suggest": {
      if (!frame.trackId) return refuse("invalid_party_action", "suggest needs trackId.");
      if (!track) return refuse("not_found", "No such track.");
      if (state.suggestions.some((s) => s.trackId === track.id) || state.queue.includes(track.id)) {
        return { ok: true, state, unchanged: true };
      }
      if (state.suggestions.length >= MAX_SUGGESTIONS) return refuse("invalid_party_action", "Too many suggestions.");
      const suggestions = [...state.suggestions, { trackId: track.id, userId: actorId }];
      return { ok: true, state: settle({ ...state, suggestions }, now, track) };
    }
    case "accept":
    case "dismiss": {
      if (!state.suggestions.some((s) => s.trackId === frame.trackId))
        return refuse("not_found", "No such suggestion.");
      const suggestions = state.suggestions.filter((s) => s.trackId !== frame.trackId);
      if (frame.action === "dismiss") return { ok: true, state: settle({ ...state, suggestions }, now) };
      // Accepting re-checks visibility (the room's members may have changed since it was suggested).
      if (!track) return refuse("not_found", "No such track.");
      if (state.queue.length >= MAX_QUEUE) return refuse("invalid_party_action", "The queue is full.");
      return { ok: true, state: settle({ ...state, suggestions, queue: [...state.queue, track.id] }, now, track) };
    }
    case "cohost_add": {
      if (!frame.userId || frame.userId === state.hostId) return refuse("invalid_party_action", "Name another member.");
      if (state.coHostIds.includes(frame.userId)) return { ok: true, state, unchanged: true };
      if (state.coHostIds.length >= MAX_COHOSTS) return refuse("invalid_party_action", "Too many co-hosts.");
      return { ok: true, state: settle({ ...state, coHostIds: [...state.coHostIds, frame.userId] }, now) };
    }
    case "cohost_remove":
      return {
        ok: true,
        state: settle({ ...state, coHostIds: state.coHostIds.filter((id) => id !== frame.userId) }, now),
      };
    case "vote_skip": {
      if (!state.trackId) return refuse("invalid_party_action", "Nothing is playing.");
      if (!ctx.present.includes(actorId)) return refuse("forbidden", "Only members present can vote.");
      const skipVotes = [...new Set([...state.skipVotes, actorId])].filter((id) => ctx.present.includes(id));
      const voted = { ...state, skipVotes };
      return { ok: true, state: settle(skipVotes.length * 2 > ctx.present.length ? advance(voted, now) : voted, now) };
    }
  }
}

/**
 * When the host is no longer present, control passes to the first present co-host, else to the
 * longest-present member. Returns the state unchanged when the host is here or nobody is.
 */
export function handOver(state: PartyState, present: string[], now: number): PartyState {
  if (present.includes(state.hostId) || present.length === 0) return state;
  const hostId = state.coHostIds.find((id) => present.includes(id)) ?? (present[0] as string);
  return settle({ ...state, hostId, coHostIds: state.coHostIds.filter((id) => id !== hostId), at: state.at }, now);
}
