import type { NotificationEvent } from "./event.ts";
import type { NotificationActor, NotificationSubject } from "./protocol.ts";

/** How much of a comment or message a notification quotes. */
export const PREVIEW_CHARS = 140;

type Person = { id: string; username: string; displayName: string };
type TrackRef = { id: string; title: string };
type RoomRef = NonNullable<NotificationSubject["room"]>;

/** Only who they are (a viewer also carries a role, which an inbox has no use for). */
export function actorOf(user: Person): NotificationActor {
  return { id: user.id, username: user.username, displayName: user.displayName };
}

const trackRef = (track: TrackRef) => ({ id: track.id, title: track.title });

/** "Ana and 12 others followed you": every new follower folds into one group. */
export function followEvent(follower: Person): NotificationEvent {
  return { type: "follow", key: `follow:${follower.id}`, group: "follow", actor: actorOf(follower), subject: {} };
}

/** One like per person and track, ever (an unlike and like again notifies nobody twice). */
export function likeEvent(liker: Person, track: TrackRef): NotificationEvent {
  return {
    type: "like",
    key: `like:${track.id}:${liker.id}`,
    group: `like:${track.id}`,
    actor: actorOf(liker),
    subject: { track: trackRef(track) },
  };
}

export function commentEvent(
  author: Person,
  track: TrackRef,
  comment: { id: string; body: string; atMs: number | null },
): NotificationEvent {
  return {
    type: "comment",
    key: `comment:${comment.id}`,
    group: `comment:${track.id}`,
    actor: actorOf(author),
    subject: {
      track: trackRef(track),
      comment: { id: comment.id, atMs: comment.atMs, preview: comment.body.slice(0, PREVIEW_CHARS) },
    },
  };
}

/** A mention or a reply in a room (never grouped), or a DM (grouped per conversation). */
export function chatEvent(
  type: "mention" | "dm",
  author: Person,
  room: RoomRef,
  message: { id: string; body: string },
  reply = false,
): NotificationEvent {
  return {
    type,
    key: `${type}:${message.id}`,
    ...(type === "dm" ? { group: `dm:${room.id}` } : {}),
    actor: actorOf(author),
    subject: {
      room,
      message: { id: message.id, preview: message.body.slice(0, PREVIEW_CHARS), ...(reply ? { reply } : {}) },
    },
  };
}

/** The uploader's own track finished processing (`version`: a reprocessed track tells again). */
export function trackReadyEvent(track: TrackRef & { mediaVersion: number }): NotificationEvent {
  return {
    type: "track.ready",
    key: `track.ready:${track.id}:${track.mediaVersion}`,
    subject: { track: trackRef(track) },
  };
}

export function trackFailedEvent(track: TrackRef & { updatedAt: number }, reason: string): NotificationEvent {
  return {
    type: "track.failed",
    key: `track.failed:${track.id}:${track.updatedAt}`,
    subject: { track: trackRef(track), reason },
  };
}

/** A followed artist's new track, told once per follower whatever the queue redelivers. */
export function newTrackEvent(artist: Person, track: TrackRef): NotificationEvent {
  return {
    type: "new_track",
    key: `new_track:${track.id}`,
    actor: actorOf(artist),
    subject: { track: trackRef(track) },
  };
}

/** A listening party started (`startedAt` tells two parties in one room apart). */
export function partyEvent(host: Person, room: RoomRef, startedAt: number, track?: TrackRef): NotificationEvent {
  return {
    type: "party",
    key: `party:${room.id}:${startedAt}`,
    actor: actorOf(host),
    subject: { room, ...(track ? { track: trackRef(track) } : {}) },
    at: startedAt,
  };
}
