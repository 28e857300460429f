import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import { connect, createRoom, say } from "../../chat/test/fixtures.ts";
import { call, json, type TestUser } from "../../test/http.ts";

export const DAY = 24 * 3600 * 1000;

/** A track of `owner` with an original, two renditions and a cover in R2. */
export async function trackWithMedia(owner: TestUser, title: string) {
  const track = await createTrack(owner, { title });
  for (const key of ["original", "renditions/128.mp4", "renditions/waveform.json", "cover"]) {
    await env.MEDIA.put(`tracks/${track.id}/${key}`, `bytes of ${key}`);
  }
  await env.DB.prepare("UPDATE tracks SET cover_key = ?1 WHERE id = ?2")
    .bind(`tracks/${track.id}/cover`, track.id)
    .run();
  return track;
}

export async function albumWithCover(owner: TestUser, trackIds: string[]) {
  const id = `album-${crypto.randomUUID()}`;
  const now = Date.now();
  await env.DB.prepare(
    "INSERT INTO albums (id, owner_id, title, cover_key, created_at, updated_at) VALUES (?1, ?2, 'An album', ?3, ?4, ?4)",
  )
    .bind(id, owner.id, `albums/${id}/cover`, now)
    .run();
  for (const [position, trackId] of trackIds.entries()) {
    await env.DB.prepare("INSERT INTO album_tracks (track_id, album_id, position) VALUES (?1, ?2, ?3)")
      .bind(trackId, id, position)
      .run();
  }
  await env.MEDIA.put(`albums/${id}/cover`, "album cover bytes");
  return id;
}

export async function ok(response: Response, status = 200) {
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${await response.text()}`);
  return response.status === 204 ? undefined : json(response);
}

export async function like(user: TestUser, trackId: string) {
  await ok(await call("POST", `/api/v1/tracks/${trackId}/like`, { token: user.token }));
}

export async function follow(user: TestUser, username: string) {
  await ok(await call("POST", `/api/v1/users/${username}/follow`, { token: user.token }));
}

export async function comment(user: TestUser, trackId: string, body: string) {
  return ok(await call("POST", `/api/v1/tracks/${trackId}/comments`, { token: user.token, body: { body } }), 201);
}

export async function playlistWith(user: TestUser, title: string, trackIds: string[]) {
  const playlist = await ok(await call("POST", "/api/v1/playlists", { token: user.token, body: { title } }), 201);
  for (const trackId of trackIds) {
    await ok(
      await call("POST", `/api/v1/playlists/${playlist.id}/tracks`, { token: user.token, body: { trackId } }),
      201,
    );
  }
  return playlist as { id: string };
}

export async function play(user: TestUser, trackId: string, listenedMs = 60_000) {
  await env.DB.prepare(
    "INSERT INTO plays (id, track_id, user_id, listener_key, listened_ms, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  )
    .bind(crypto.randomUUID(), trackId, user.id, `u:${user.id}`, listenedMs, Date.now())
    .run();
}

/** Says each line in the room as `user` (connecting, and so joining a public room). */
export async function chat(user: TestUser, roomId: string, ...lines: string[]) {
  const client = await connect(user, roomId);
  const sent = [];
  for (const line of lines) sent.push(await say(client, line));
  client.close();
  return sent;
}

export async function openDm(user: TestUser, username: string): Promise<string> {
  const response = await call("POST", `/api/v1/dms/${username}`, { token: user.token });
  expect([200, 201]).toContain(response.status);
  return (await json(response)).id;
}

export { createRoom };
