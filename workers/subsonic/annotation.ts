import { songsByIds } from "../catalog/library.ts";
import { setLike } from "../catalog/likes.ts";
import { rateTrack, reportListen, setNowPlaying } from "../catalog/listening.ts";
import { setStatus } from "../chat/status.ts";
import type { Call, Method } from "./call.ts";
import { badValue, missingParameter, notFound, SubsonicCode, SubsonicError } from "./envelope.ts";
import { parseId } from "./mapping.ts";

/** Stars (Veza likes), ratings and scrobbles. */

/** The songs named by every `id` parameter; all must exist for the viewer, or nothing changes. */
async function songsNamed(call: Call, required: boolean) {
  const ids = call.params.getAll("id").filter(Boolean);
  if (ids.length === 0 && required) throw missingParameter("id");
  const trackIds = ids.map((id) => {
    const parsed = parseId(id);
    if (parsed.kind !== "song") throw notFound(`Song ${id}`);
    return parsed.trackId;
  });
  const songs = await songsByIds(call.db, call.viewer, trackIds);
  const found = new Set(songs.map((s) => s.track.id));
  const missing = trackIds.find((id) => !found.has(id));
  if (missing) throw notFound(`Song ${missing}`);
  return songs;
}

function refuseAlbumsAndArtists(call: Call) {
  if (call.params.getAll("albumId").some(Boolean) || call.params.getAll("artistId").some(Boolean)) {
    throw new SubsonicError(SubsonicCode.generic, "Only songs can be starred on Veza; star an album's songs instead.");
  }
}

export const star: Method = async (call) => {
  refuseAlbumsAndArtists(call);
  for (const song of await songsNamed(call, false)) await setLike(call.env, call.db, call.user, song.track.id, true);
  return {};
};

export const unstar: Method = async (call) => {
  refuseAlbumsAndArtists(call);
  for (const song of await songsNamed(call, false)) await setLike(call.env, call.db, call.user, song.track.id, false);
  return {};
};

export const setRating: Method = async (call) => {
  const rating = call.params.requiredInt("rating", 0, 5);
  const [song] = await songsNamed(call, true);
  if (!song) throw missingParameter("id");
  await rateTrack(call.db, call.user.id, song.track.id, rating);
  return {};
};

/**
 * `submission=false`: the song is now playing (Subsonic's now playing and the user's global status). `submission=true` (the default): the listen is
 * over, and counts as a play through the plays queue, once per listen (`time` identifies it).
 */
export const scrobble: Method = async (call) => {
  const songs = await songsNamed(call, true);
  const times = call.params.getAll("time");
  if (times.some((t) => !/^\d{1,15}$/.test(t))) throw badValue("time", "must be milliseconds since the epoch.");
  if (!call.params.bool("submission", true)) {
    const last = songs.at(-1);
    if (last) {
      await setNowPlaying(call.db, call.user.id, last.track.id, (call.params.get("c") ?? "").slice(0, 60));
      // The global status followers see, as the web player sets it (a hidden status stays hidden).
      await setStatus(call.db, call.user, { trackId: last.track.id });
    }
    return {};
  }
  for (const [i, song] of songs.entries()) {
    await reportListen(call.env, {
      track: song.track,
      viewer: call.viewer,
      listenerKey: `u:${call.user.id}`,
      listenedMs: song.track.durationMs ?? 30_000,
      listenId: times[i] ? `subsonic-${times[i]}` : undefined,
    });
  }
  return {};
};
