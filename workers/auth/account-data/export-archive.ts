import type { Env } from "../../env.ts";
import { pushDataOf } from "../../notifications/push/account-data.ts";
import { errorFields, log } from "../../shared/log.ts";
import {
  albumsOf,
  blocksOf,
  chatOf,
  commentsOf,
  credentialsOf,
  followingOf,
  likesOf,
  listeningHistoryOf,
  playlistsOf,
  profileOf,
  sessionsOf,
  signInProvidersOf,
  tracksOf,
} from "./export-sections.ts";
import { writeJson } from "./json-stream.ts";

/** Named in every archive; bumped when a field changes meaning or goes (new fields keep the version). */
export const EXPORT_FORMAT = "veza-account-export";
export const EXPORT_VERSION = 1;

/** Bytes gathered before a chunk goes out. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The user's data archive as a stream of JSON: small sections (profile, sessions, credentials)
 * first, then each list read a page at a time while the response is being sent.
 */
export function exportArchive(env: Env, userId: string, now = Date.now()): ReadableStream<Uint8Array> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const writer = writable.getWriter();
  const encoder = new TextEncoder();
  let pending = "";
  const write = async (text: string) => {
    pending += text;
    if (pending.length < CHUNK_BYTES) return;
    const chunk = pending;
    pending = "";
    await writer.write(encoder.encode(chunk));
  };
  const produce = async () => {
    const archive = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: new Date(now).toISOString(),
      profile: await profileOf(env, userId),
      sessions: await sessionsOf(env, userId, now),
      signInProviders: await signInProvidersOf(env, userId),
      // Names and dates only: the secrets are never exported (nor kept readable, for API keys).
      connectedApps: await credentialsOf(env, userId),
      blocked: await blocksOf(env, userId),
      pushNotifications: await pushDataOf(env.DB, userId),
      tracks: tracksOf(env, userId),
      albums: albumsOf(env, userId),
      playlists: playlistsOf(env, userId),
      likes: likesOf(env, userId),
      following: followingOf(env, userId),
      listeningHistory: listeningHistoryOf(env, userId),
      comments: commentsOf(env, userId),
      chatRooms: chatOf(env, userId, false),
      directMessages: chatOf(env, userId, true),
    };
    await writeJson(write, archive);
    if (pending) await writer.write(encoder.encode(pending));
    await writer.close();
  };
  produce().catch(async (error) => {
    // The status line has gone out already: an aborted stream is how the client learns it is incomplete.
    log("error", "account_export.failed", { userId, ...errorFields(error) });
    await writer.abort(error).catch(() => {});
  });
  return readable;
}

export function exportFilename(username: string, now = Date.now()): string {
  return `veza-export-${username}-${new Date(now).toISOString().slice(0, 10)}.json`;
}
