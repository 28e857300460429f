import type { TrackResponse } from "../../../../workers/api-types.ts";

type Controls = {
  play: () => void;
  pause: () => void;
  previous: () => void;
  next: () => void;
  seek: (seconds: number) => void;
  position: () => number;
};

/** Lock-screen and headset controls: the track's metadata and artwork, and the player's actions. */
export function setMediaSession(track: TrackResponse | null, controls: Controls) {
  if (typeof navigator === "undefined" || !("mediaSession" in navigator)) return;
  const session = navigator.mediaSession;
  if (!track) {
    session.metadata = null;
    session.playbackState = "none";
    return;
  }
  const artwork = track.coverUrl
    ? [{ src: track.coverUrl, sizes: "512x512" }]
    : [{ src: "/icon-512.png", sizes: "512x512", type: "image/png" }];
  session.metadata = new MediaMetadata({ title: track.title, artist: track.artist, artwork });
  const handlers: [MediaSessionAction, MediaSessionActionHandler][] = [
    ["play", controls.play],
    ["pause", controls.pause],
    ["previoustrack", controls.previous],
    ["nexttrack", controls.next],
    ["seekto", (details) => details.seekTime !== undefined && controls.seek(details.seekTime)],
    ["seekbackward", (details) => controls.seek(controls.position() - (details.seekOffset ?? 10))],
    ["seekforward", (details) => controls.seek(controls.position() + (details.seekOffset ?? 10))],
  ];
  for (const [action, handler] of handlers) {
    try {
      session.setActionHandler(action, handler);
    } catch {
      // An action this browser does not support.
    }
  }
}

export function setMediaSessionState(playing: boolean, position: number, duration: number) {
  if (typeof navigator === "undefined" || !("mediaSession" in navigator)) return;
  navigator.mediaSession.playbackState = playing ? "playing" : "paused";
  if (duration > 0 && Number.isFinite(duration) && position <= duration) {
    try {
      navigator.mediaSession.setPositionState({ duration, position, playbackRate: 1 });
    } catch {}
  }
}
