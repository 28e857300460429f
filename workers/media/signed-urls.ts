import type { Env } from "../env.ts";
import { hmacSign, hmacVerify } from "../shared/crypto.ts";
import { ApiError } from "../shared/errors.ts";
import { originalKey, renditionKey } from "./keys.ts";
import { audioTypeByExt } from "./sniff.ts";

/**
 * Signed media URLs carry their whole authorisation in the path, so serving one needs no D1 read
 * and HLS playlists can address sibling files by relative URI:
 *
 *   /api/v1/media/<trackId>/<scope>/<expires>/<flags>/<signature>/<file>
 *
 * - scope: one file (`original`, `original.flac`, `medium.mp4`, …) — then <file> must equal it —
 *   or `renditions`, meaning any file in the track's renditions folder.
 * - expires: unix seconds. flags: `g` (GET/HEAD), `gp<version>` (GET/HEAD, public: edge-cached
 *   under a key that carries the track's media version, see cache.ts) or `w` (PUT into the
 *   renditions folder, for the transcoder).
 * - signature: HMAC-SHA-256 (STREAM_SIGNING_KEY, base64url) of `v1|trackId|scope|expires|flags`.
 *
 * R2 keys: `original*` → `tracks/<id>/original`; anything else → `tracks/<id>/renditions/<file>`.
 */
export const MEDIA_PREFIX = "/api/v1/media";

export type MediaMethod = "GET" | "PUT";
export type SignOptions = {
  trackId: string;
  scope: string;
  /** The file to address; omitted for a `renditions` prefix URL ending in `/`. Defaults to a single-file scope. */
  file?: string;
  ttlSeconds: number;
  public?: boolean;
  /** The track's media version (tracks.media_version): part of a public URL and of its edge-cache key. */
  version?: number;
  method?: MediaMethod;
  now?: number;
};
export type SignedMediaUrl = { url: string; expiresAt: string; expires: number };

export type VerifiedMedia = {
  trackId: string;
  file: string;
  key: string;
  contentType: string;
  public: boolean;
  /** The media version a public URL was signed for (0 for others). */
  version: number;
  method: MediaMethod;
};

const TRACK_ID = /^[0-9A-Za-z_-]{1,64}$/;
const RENDITION_FILE = /^[a-z0-9][a-z0-9_-]{0,47}\.(mp4|m4a|m3u8|json|jpg|png|webp)$/;
/** The metadata-stripped copy of the original, in the original's own format. */
const DOWNLOAD_FILE = /^download\.(mp3|flac|wav|aac|m4a|ogg|opus|aiff)$/;
const ORIGINAL_FILE = /^original(?:\.([a-z0-9]{1,5}))?$/;

const RENDITION_TYPES: Record<string, string> = {
  mp4: "audio/mp4",
  m4a: "audio/mp4",
  m3u8: "application/vnd.apple.mpegurl",
  json: "application/json",
  jpg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
};

/** The Content-Type of a renditions-folder file (the download copy has the original's audio type). */
function renditionType(ext: string): string {
  return RENDITION_TYPES[ext] ?? audioTypeByExt(ext)?.mime ?? "application/octet-stream";
}

/** The Content-Type a renditions-folder file is served with. */
export const renditionFileType = (file: string) => renditionType(file.slice(file.lastIndexOf(".") + 1));

export function isRenditionFile(file: string): boolean {
  return RENDITION_FILE.test(file) || DOWNLOAD_FILE.test(file);
}

/** The URL file name of an original whose sniffed extension is `ext` (`original.flac`). */
export const originalFileName = (ext: string) => `original.${ext}`;

const payload = (trackId: string, scope: string, expires: number, flags: string) =>
  `v1|${trackId}|${scope}|${expires}|${flags}`;

function flagsOf(method: MediaMethod, isPublic: boolean, version: number): string {
  return method === "PUT" ? "w" : isPublic ? `gp${version}` : "g";
}

const FLAGS = /^(?:g|w|gp(\d{0,9}))$/;

function fileTarget(trackId: string, file: string): { key: string; contentType: string } | undefined {
  const original = ORIGINAL_FILE.exec(file);
  if (original) {
    const ext = original[1];
    const type = ext === undefined ? "application/octet-stream" : audioTypeByExt(ext)?.mime;
    return type ? { key: originalKey(trackId), contentType: type } : undefined;
  }
  if (!isRenditionFile(file)) return undefined;
  const ext = file.slice(file.lastIndexOf(".") + 1);
  return { key: renditionKey(trackId, file), contentType: renditionType(ext) };
}

function scopeAllows(scope: string, file: string, method: MediaMethod): boolean {
  if (method === "PUT") return (scope === "renditions" || scope === file) && isRenditionFile(file);
  return scope === "renditions" ? isRenditionFile(file) : scope === file;
}

export async function signMediaUrl(
  env: Pick<Env, "STREAM_SIGNING_KEY">,
  options: SignOptions,
): Promise<SignedMediaUrl> {
  const method = options.method ?? "GET";
  const file = options.file ?? (options.scope === "renditions" ? "" : options.scope);
  if (!TRACK_ID.test(options.trackId)) throw new Error(`not a track id: ${options.trackId}`);
  if (file !== "" && (!fileTarget(options.trackId, file) || !scopeAllows(options.scope, file, method))) {
    throw new Error(`scope ${options.scope} does not cover ${file} for ${method}`);
  }
  const expires = Math.floor((options.now ?? Date.now()) / 1000) + Math.max(1, Math.floor(options.ttlSeconds));
  const flags = flagsOf(method, options.public === true && method === "GET", options.version ?? 0);
  const signature = await hmacSign(env.STREAM_SIGNING_KEY, payload(options.trackId, options.scope, expires, flags));
  const url = `${MEDIA_PREFIX}/${options.trackId}/${options.scope}/${expires}/${flags}/${signature}/${file}`;
  return { url, expires, expiresAt: new Date(expires * 1000).toISOString() };
}

const refused = (message: string) => new ApiError(403, "invalid_signature", message);

/**
 * Checks the path after MEDIA_PREFIX (`<trackId>/<scope>/<expires>/<flags>/<signature>/<file>`) for
 * `method` (HEAD counts as GET). Throws 403 for anything expired, tampered or out of scope.
 */
export async function verifyMediaPath(
  env: Pick<Env, "STREAM_SIGNING_KEY">,
  rest: string,
  method: string,
  now = Date.now(),
): Promise<VerifiedMedia> {
  const segments = rest.split("/");
  if (segments.length !== 6) throw refused("This media URL is malformed.");
  const [trackId, scope, expiresText, flags, signature, file] = segments as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  const wanted: MediaMethod | undefined =
    method === "GET" || method === "HEAD" ? "GET" : method === "PUT" ? "PUT" : undefined;
  if (!wanted) throw new ApiError(405, "method_not_allowed", "Media URLs accept GET, HEAD and PUT only.");
  const flagMatch = FLAGS.exec(flags);
  if (!TRACK_ID.test(trackId) || !/^\d{1,12}$/.test(expiresText) || !flagMatch) {
    throw refused("This media URL is malformed.");
  }
  if (!(await hmacVerify(env.STREAM_SIGNING_KEY, payload(trackId, scope, Number(expiresText), flags), signature))) {
    throw refused("This media URL's signature is not valid.");
  }
  if (Number(expiresText) * 1000 < now) throw refused("This media URL has expired; ask for a new one.");
  const method_: MediaMethod = flags === "w" ? "PUT" : "GET";
  if (method_ !== wanted) throw refused(`This media URL is not signed for ${method}.`);
  const target = fileTarget(trackId, file);
  if (!target || !scopeAllows(scope, file, method_)) throw refused("This media URL does not cover that file.");
  const isPublic = flagMatch[1] !== undefined;
  return { trackId, file, ...target, public: isPublic, version: Number(flagMatch[1] || 0), method: method_ };
}
