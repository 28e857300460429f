import { env } from "cloudflare:workers";
import { getDb } from "../../db/client.ts";
import { trackOutputs } from "../../db/schema/index.ts";
import { call, json, type TestUser } from "../../test/http.ts";

const ascii = (text: string) => Array.from(text, (ch) => ch.charCodeAt(0));

function u32le(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
}

/** A valid 16-bit stereo 44.1 kHz PCM WAV of exactly `total` bytes; the samples are a byte pattern, not silence, so slices are distinguishable. */
export function wavBytes(total: number, seed = 7): Uint8Array {
  const bytes = new Uint8Array(total);
  const header = [
    ...ascii("RIFF"),
    ...u32le(total - 8),
    ...ascii("WAVEfmt "),
    ...u32le(16),
    1,
    0,
    2,
    0,
    ...u32le(44100),
    ...u32le(44100 * 4),
    4,
    0,
    16,
    0,
    ...ascii("data"),
    ...u32le(total - 44),
  ];
  bytes.set(header);
  for (let i = 44; i < total; i++) bytes[i] = (i * 31 + seed) & 255;
  return bytes;
}

/** An ID3v2.4 tag followed by MPEG-1 Layer III frame headers (128 kbps, 44.1 kHz). */
export function mp3Bytes(total = 4096): Uint8Array {
  const bytes = new Uint8Array(total);
  bytes.set([...ascii("ID3"), 4, 0, 0, 0, 0, 0, 10, ...new Array(10).fill(0)]);
  for (let at = 20; at + 4 <= total; at += 417) bytes.set([0xff, 0xfb, 0x90, 0x64], at);
  return bytes;
}

/**
 * The hostile upload of security review #1: an ID3v2 tag of `tagSize` zero bytes (longer than the
 * sniff window) hiding an HLS playlist whose segment is a local file.
 */
export function id3HiddenPlaylist(tagSize = 5000, target = "file:///etc/any.mp3"): Uint8Array {
  const syncsafe = [(tagSize >> 21) & 0x7f, (tagSize >> 14) & 0x7f, (tagSize >> 7) & 0x7f, tagSize & 0x7f];
  const playlist = ascii(`#EXTM3U\n#EXT-X-TARGETDURATION:1000\n#EXTINF:900,\n${target}\n#EXT-X-ENDLIST`);
  const bytes = new Uint8Array(10 + tagSize + playlist.length);
  bytes.set([...ascii("ID3"), 3, 0, 0, ...syncsafe]);
  bytes.set(playlist, 10 + tagSize);
  return bytes;
}

/** Bytes that are not audio: a ZIP local file header and some text. */
export function zipBytes(total = 2048): Uint8Array {
  const bytes = new Uint8Array(total).fill(0x41);
  bytes.set([0x50, 0x4b, 0x03, 0x04]);
  return bytes;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function pngBytes(total = 256): Uint8Array {
  const bytes = new Uint8Array(total).fill(1);
  bytes.set([...PNG_SIGNATURE, 0, 0, 0, 13, ...ascii("IHDR")]);
  return bytes;
}

export function jpegBytes(total = 256): Uint8Array {
  const bytes = new Uint8Array(total).fill(2);
  bytes.set([0xff, 0xd8, 0xff, 0xe0, 0, 16, ...ascii("JFIF"), 0]);
  return bytes;
}

export function webpBytes(total = 256): Uint8Array {
  const bytes = new Uint8Array(total).fill(3);
  bytes.set([...ascii("RIFF"), ...u32le(total - 8), ...ascii("WEBPVP8 ")]);
  return bytes;
}

export function sha256HexOf(bytes: Uint8Array): Promise<string> {
  return crypto.subtle
    .digest("SHA-256", bytes)
    .then((d) => [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join(""));
}

export type Created = { uploadId: string; trackId: string; partSize: number; partCount: number; size: number };

export async function startUpload(user: TestUser, bytes: Uint8Array, filename = "song.wav", title?: string) {
  const response = await call("POST", "/api/v1/uploads", {
    token: user.token,
    body: { filename, size: bytes.byteLength, contentType: "audio/wav", ...(title ? { title } : {}) },
  });
  if (response.status !== 201) throw new Error(`create upload: ${response.status} ${await response.text()}`);
  return json<Created>(response);
}

export function partOf(created: Pick<Created, "partSize">, bytes: Uint8Array, n: number): Uint8Array {
  return bytes.subarray((n - 1) * created.partSize, n * created.partSize);
}

export function putPart(user: TestUser, uploadId: string, n: number, body: Uint8Array) {
  return call("PUT", `/api/v1/uploads/${uploadId}/parts/${n}`, {
    token: user.token,
    rawBody: body,
    headers: { "content-type": "application/octet-stream" },
  });
}

/** Create → every part → complete; returns the completed track (status `processing`). */
export async function uploadTrack(user: TestUser, bytes: Uint8Array, filename = "song.wav", title?: string) {
  const created = await startUpload(user, bytes, filename, title);
  for (let n = 1; n <= created.partCount; n++) {
    const response = await putPart(user, created.uploadId, n, partOf(created, bytes, n));
    if (response.status !== 200) throw new Error(`part ${n}: ${response.status} ${await response.text()}`);
  }
  const done = await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token });
  if (done.status !== 202) throw new Error(`complete: ${done.status} ${await done.text()}`);
  return { created, track: (await json(done)).track };
}

/** What the transcoder records once it has written renditions (test-only stand-in for the consumer). */
export async function recordRenditions(trackId: string, qualities: Array<"low" | "medium" | "high">) {
  await getDb(env.DB)
    .insert(trackOutputs)
    .values({
      trackId,
      renditions: qualities.map((quality) => ({
        quality,
        bitrateKbps: 128,
        file: `${quality}.mp4`,
        playlist: `${quality}.m3u8`,
        bytes: 1000,
        mimeType: 'audio/mp4; codecs="mp4a.40.2"',
        codecs: "mp4a.40.2",
      })),
      hlsMaster: "master.m3u8",
      waveformFile: "waveform.json",
      downloadFile: "download.wav",
      integratedLufs: -14,
      truePeakDbtp: -1,
      loudnessRange: 5,
      gainDb: 0,
      sourceFormat: "wav",
      sourceCodec: "pcm_s16le",
      sourceSampleRate: 44100,
      sourceChannels: 2,
      tags: {},
      completedAt: Date.now(),
    });
  for (const quality of qualities)
    await env.MEDIA.put(`tracks/${trackId}/renditions/${quality}.mp4`, `${quality} bytes`);
  await env.MEDIA.put(`tracks/${trackId}/renditions/master.m3u8`, "#EXTM3U\nmedium.m3u8\n");
  await env.MEDIA.put(`tracks/${trackId}/renditions/download.wav`, "stripped bytes");
  await env.MEDIA.put(
    `tracks/${trackId}/renditions/waveform.json`,
    JSON.stringify({ peaks: [0, 0.5, 1], durationMs: 1234 }),
  );
}
