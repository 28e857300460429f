import { songsByIds } from "../catalog/library.ts";
import {
  clearPlayQueue,
  getPlayQueue as findPlayQueue,
  savePlayQueue as storePlayQueue,
} from "../catalog/listening.ts";
import type { Method } from "./call.ts";
import { badValue } from "./envelope.ts";
import { parseId, toChild } from "./mapping.ts";

/** The play queue one device saves and another resumes. */

const MAX_QUEUE = 1000;

export const getPlayQueue: Method = async ({ db, viewer, user }) => {
  const saved = await findPlayQueue(db, user.id);
  if (!saved) return {};
  const songs = await songsByIds(db, viewer, saved.trackIds);
  return {
    playQueue: {
      current: songs.some((s) => s.track.id === saved.currentTrackId) ? (saved.currentTrackId ?? undefined) : undefined,
      position: saved.positionMs,
      username: user.username,
      changed: new Date(saved.updatedAt).toISOString(),
      changedBy: saved.changedBy,
      entry: songs.map(toChild),
    },
  };
};

export const savePlayQueue: Method = async ({ db, viewer, user, params }) => {
  const ids = params.getAll("id").filter(Boolean);
  if (ids.length === 0) {
    await clearPlayQueue(db, user.id);
    return {};
  }
  if (ids.length > MAX_QUEUE) throw badValue("id", `a queue holds at most ${MAX_QUEUE} songs.`);
  const trackIds = ids.map((id) => {
    const parsed = parseId(id);
    return parsed.kind === "song" ? parsed.trackId : id;
  });
  const visible = new Set((await songsByIds(db, viewer, trackIds)).map((s) => s.track.id));
  const kept = trackIds.filter((id) => visible.has(id));
  if (kept.length === 0) {
    await clearPlayQueue(db, user.id);
    return {};
  }
  const current = params.get("current");
  await storePlayQueue(db, user.id, {
    trackIds: kept,
    currentTrackId: current && visible.has(current) ? current : null,
    positionMs: params.int("position", 0, 0),
    changedBy: (params.get("c") ?? "").slice(0, 60),
  });
  return {};
};
