import { env } from "cloudflare:workers";
import { md5 } from "@noble/hashes/legacy.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { createTrack, type TrackFixture } from "../../catalog/test/fixtures.ts";
import type { Rendition } from "../../db/schema/index.ts";
import { call, json, registerUser, type TestUser } from "../../test/http.ts";

/** A registered user with an app password and an API key, as a Subsonic app would hold them. */
export type SubsonicUser = TestUser & { appPassword: string; apiKey: string };

export async function subsonicUser(): Promise<SubsonicUser> {
  const user = await registerUser();
  const password = await call("POST", "/api/v1/me/app-passwords", { token: user.token, body: { name: "test app" } });
  const key = await call("POST", "/api/v1/me/api-keys", { token: user.token, body: { name: "test key" } });
  if (password.status !== 201 || key.status !== 201) throw new Error("could not create app credentials");
  return { ...user, appPassword: (await json(password)).password, apiKey: (await json(key)).key };
}

export type Auth = Record<string, string>;

export function tokenAuth(user: SubsonicUser, salt = `s${Math.random().toString(36).slice(2, 12)}`): Auth {
  const t = bytesToHex(md5(new TextEncoder().encode(user.appPassword + salt)));
  return { u: user.username, t, s: salt };
}

export const passwordAuth = (user: SubsonicUser): Auth => ({ u: user.username, p: user.appPassword });
export const keyAuth = (user: SubsonicUser): Auth => ({ apiKey: user.apiKey });

/** GET /rest/<method>.view with the usual client parameters. */
export function rest(
  method: string,
  auth: Auth,
  params: Record<string, string | number | (string | number)[]> = {},
  options: { headers?: Record<string, string>; httpMethod?: string; ip?: string } = {},
): Promise<Response> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries({ v: "1.16.1", c: "veza-tests", ...auth, ...params })) {
    for (const item of Array.isArray(value) ? value : [value]) query.append(name, String(item));
  }
  return call(options.httpMethod ?? "GET", `/rest/${method}.view?${query}`, {
    headers: options.headers,
    ip: options.ip,
  });
}

/** The JSON `subsonic-response` of a call with `f=json`. */
export async function restJson(
  method: string,
  auth: Auth,
  params: Record<string, string | number | (string | number)[]> = {},
): Promise<any> {
  const response = await rest(method, auth, { f: "json", ...params });
  return (await json(response))["subsonic-response"];
}

/** The parsed XML document element of a call (XML is the default rendering). */
export async function restXml(
  method: string,
  auth: Auth,
  params: Record<string, string | number | (string | number)[]> = {},
): Promise<Element> {
  const response = await rest(method, auth, params);
  const text = await response.text();
  const doc = new DOMParser().parseFromString(text, "text/xml");
  if (!doc.documentElement) throw new Error(`not XML: ${text}`);
  return doc.documentElement;
}

/** Child elements of `parent` named `name` (direct children only). */
export function children(parent: Element, name: string): Element[] {
  return Array.from(parent.childNodes).filter(
    (n): n is Element => n.nodeType === 1 && (n as Element).localName === name,
  );
}

export function child(parent: Element, name: string): Element {
  const found = children(parent, name)[0];
  if (!found) throw new Error(`<${parent.localName}> has no <${name}>`);
  return found;
}

export const attributeNames = (element: Element) => Array.from(element.attributes).map((a) => a.name);

/** Deterministic bytes, so a range can be checked against the stored object. */
export function patternBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 13 + seed) & 255;
  return bytes;
}

export type PlayableTrack = Awaited<ReturnType<typeof createTrack>> & { high: Uint8Array; medium: Uint8Array };

/**
 * A ready track as the transcoder leaves it: rendition rows (256 and 128 kbps AAC in MP4), their
 * objects in R2, measured loudness, and the original upload.
 */
export async function playableTrack(owner: { id: string }, fixture: TrackFixture = {}): Promise<PlayableTrack> {
  const track = await createTrack(owner, fixture);
  const high = patternBytes(40_000, 1);
  const medium = patternBytes(20_000, 2);
  const original = patternBytes(60_000, 3);
  const renditions: Rendition[] = [
    {
      quality: "high",
      bitrateKbps: 256,
      file: "high.mp4",
      playlist: "high.m3u8",
      bytes: high.byteLength,
      mimeType: "audio/mp4",
      codecs: "mp4a.40.2",
    },
    {
      quality: "medium",
      bitrateKbps: 128,
      file: "medium.mp4",
      playlist: "medium.m3u8",
      bytes: medium.byteLength,
      mimeType: "audio/mp4",
      codecs: "mp4a.40.2",
    },
  ];
  await Promise.all([
    env.MEDIA.put(`tracks/${track.id}/renditions/high.mp4`, high, { httpMetadata: { contentType: "audio/mp4" } }),
    env.MEDIA.put(`tracks/${track.id}/renditions/medium.mp4`, medium, { httpMetadata: { contentType: "audio/mp4" } }),
    env.MEDIA.put(`tracks/${track.id}/original`, original, { httpMetadata: { contentType: "audio/flac" } }),
  ]);
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO track_outputs (track_id, renditions, hls_master, waveform_file, integrated_lufs, true_peak_dbtp,
        loudness_range, gain_db, source_format, source_codec, source_sample_rate, source_channels, source_bitrate_kbps, tags, completed_at)
       VALUES (?1, ?2, 'master.m3u8', 'waveform.json', -12.5, -1.0, 6.0, -1.5, 'flac', 'flac', 44100, 2, 900, ?3, ?4)`,
    ).bind(track.id, JSON.stringify(renditions), JSON.stringify({ lyrics: "first line\nsecond line" }), Date.now()),
    env.DB.prepare(
      `INSERT INTO uploads (id, track_id, user_id, r2_upload_id, object_key, filename, declared_type, size, part_size,
        status, mime_type, created_at, updated_at, completed_at)
       VALUES (?1, ?1, ?2, 'r2', ?3, 'song.flac', 'audio/flac', ?4, ?4, 'completed', 'audio/flac', ?5, ?5, ?5)`,
    ).bind(track.id, owner.id, `tracks/${track.id}/original`, original.byteLength, Date.now()),
  ]);
  return { ...track, high, medium };
}
