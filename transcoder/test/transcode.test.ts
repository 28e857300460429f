// End-to-end: real ffmpeg over audio generated here, through the HTTP contract the Worker uses.

import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Harness, Sink, Stored } from "./helpers.ts";
import {
  decodedSeconds,
  decodeErrors,
  ffprobeJson,
  generate,
  integratedLoudness,
  leftovers,
  parseMediaPlaylist,
  parseSidx,
  scratchDir,
  startSink,
  startTranscoder,
  topBoxes,
  transcode,
  writeOutputs,
} from "./helpers.ts";

let sink: Sink;
let transcoder: Harness;
let media: string;
const cleanup: string[] = [];

beforeAll(async () => {
  media = scratchDir();
  cleanup.push(media);
  [sink, transcoder] = await Promise.all([startSink(), startTranscoder()]);
});

afterAll(async () => {
  await Promise.all([sink?.close(), transcoder?.close()]);
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  // Every job removes its temporary directory, whatever happened.
  expect(leftovers(transcoder.tmpDir)).toEqual([]);
});

const SECONDS = 5;
// Two tones of amplitude 1/8 (like lavfi's sine source), one per channel.
const stereoSine = (rate: number) => [
  "-f",
  "lavfi",
  "-i",
  `aevalsrc=0.125*sin(2*PI*440*t)|0.125*sin(2*PI*660*t):s=${rate}:d=${SECONDS}`,
];
const monoSine = (rate: number) => ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=${rate}:duration=${SECONDS}`];

/** Checks one rendition file against its playlist, box by box. Returns the playlist's total duration. */
function checkByteRanges(name: string, file: Buffer, playlistText: string): number {
  const playlist = parseMediaPlaylist(playlistText);
  expect(playlist.version).toBe(7);
  expect(playlist.ended).toBe(true);
  const boxes = topBoxes(file);
  const types = boxes.map((b) => b.type);
  // ftyp + moov + a global sidx, then moof/mdat pairs up to the very end of the file.
  expect(types.slice(0, 3)).toEqual(["ftyp", "moov", "sidx"]);
  const rest = types.slice(3);
  expect(rest.length % 2).toBe(0);
  expect(rest.length).toBeGreaterThan(0);
  for (let i = 0; i < rest.length; i += 2) expect([rest[i], rest[i + 1]]).toEqual(["moof", "mdat"]);

  expect(playlist.map).toEqual({ uri: name, offset: 0, length: (boxes[1] as { end: number }).end });
  expect(playlist.segments.length).toBe(rest.length / 2);
  // The sidx references tile the media exactly: each one addresses one moof+mdat pair, and the
  // whole index reaches the end of the file (what lets a progressive player stop reading early).
  const sidx = boxes[2] as { start: number; end: number };
  const index = parseSidx(file.subarray(sidx.start, sidx.end));
  expect(index.references.length).toBe(rest.length / 2);
  let at = sidx.end + index.firstOffset;
  index.references.forEach((reference, i) => {
    const moof = boxes[3 + 2 * i] as { start: number };
    const mdat = boxes[4 + 2 * i] as { end: number };
    expect(reference.type).toBe(0);
    expect(reference.startsWithSap).toBe(true);
    expect(at).toBe(moof.start);
    expect(at + reference.size).toBe(mdat.end);
    expect(reference.duration / index.timescale).toBeCloseTo(playlist.segments[i]?.duration ?? -1, 6);
    at += reference.size;
  });
  expect(at).toBe(file.length);
  playlist.segments.forEach((segment, i) => {
    const moof = boxes[3 + 2 * i] as { start: number };
    const mdat = boxes[4 + 2 * i] as { end: number };
    expect(segment.uri).toBe(name);
    expect(segment.offset).toBe(moof.start);
    expect(segment.offset + segment.length).toBe(mdat.end);
    expect(segment.duration).toBeGreaterThan(0);
    expect(Math.round(segment.duration)).toBeLessThanOrEqual(playlist.targetDuration);
  });
  const last = playlist.segments[playlist.segments.length - 1] as { offset: number; length: number };
  expect(last.offset + last.length).toBe(file.length);
  return playlist.segments.reduce((sum, s) => sum + s.duration, 0);
}

async function checkRenditions(
  result: { body: any; outputs: Map<string, Stored> },
  expected: { qualities: string[]; seconds: number; sampleRate: number; channels: number },
): Promise<void> {
  const { body, outputs } = result;
  expect(body.renditions.map((r: { quality: string }) => r.quality)).toEqual(expected.qualities);
  expect(Math.abs(body.durationMs - expected.seconds * 1000)).toBeLessThanOrEqual(50);
  const dir = writeOutputs(outputs);
  cleanup.push(dir);
  for (const r of body.renditions) {
    expect(r).toMatchObject({
      bitrateKbps: { low: 64, medium: 128, high: 256 }[r.quality as "low"],
      file: `${r.quality}.mp4`,
      playlist: `${r.quality}.m3u8`,
      mimeType: "audio/mp4",
      codecs: "mp4a.40.2",
    });
    const file = outputs.get(r.file) as Stored;
    expect(file.contentType).toBe("audio/mp4");
    expect(file.body.length).toBe(r.bytes);
    const playlist = outputs.get(r.playlist) as Stored;
    expect(playlist.contentType).toBe("application/vnd.apple.mpegurl");
    const playlistSeconds = checkByteRanges(r.file, file.body, playlist.body.toString("utf8"));

    const probe = await ffprobeJson(join(dir, r.file));
    const stream = probe.streams[0] as { codec_name: string; sample_rate?: string; channels?: number };
    expect(stream.codec_name).toBe("aac");
    expect(Number(stream.sample_rate)).toBe(expected.sampleRate);
    expect(stream.channels).toBe(expected.channels);
    const seconds = Number(probe.format.duration);
    expect(Math.abs(seconds - expected.seconds)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(playlistSeconds - seconds)).toBeLessThanOrEqual(0.001);
    // The average bitrate is in the rendition's class.
    expect((file.body.length * 8) / seconds / 1000).toBeGreaterThan(r.bitrateKbps * 0.6);
    expect((file.body.length * 8) / seconds / 1000).toBeLessThan(r.bitrateKbps * 1.15);
  }

  // The master playlist lists every rendition with its bandwidth and codec.
  const master = (outputs.get("master.m3u8") as Stored).body.toString("utf8");
  expect(body.hls).toEqual({ master: "master.m3u8" });
  const variants = [...master.matchAll(/#EXT-X-STREAM-INF:([^\n]+)\n([^\n]+)/g)];
  expect(variants.map((v) => v[2])).toEqual(body.renditions.map((r: { playlist: string }) => r.playlist));
  for (const v of variants) {
    expect(v[1]).toMatch(/BANDWIDTH=\d+/);
    expect(v[1]).toContain('CODECS="mp4a.40.2"');
  }
  // Every file decodes cleanly, and so does the HLS presentation (master -> media playlists -> byte ranges).
  const files = body.renditions.flatMap((r: { file: string; playlist: string }) => [r.file, r.playlist]);
  expect(await decodeErrors(...[...files, "master.m3u8"].map((name) => join(dir, name)))).toBe("");

  // Waveform: ~1000 peaks in 0..1 and the same duration.
  const waveform = JSON.parse((outputs.get("waveform.json") as Stored).body.toString("utf8"));
  expect((outputs.get("waveform.json") as Stored).contentType).toBe("application/json");
  expect(body.waveform).toEqual({ file: "waveform.json", points: waveform.peaks.length });
  expect(waveform.peaks.length).toBe(1000);
  expect(waveform.durationMs).toBe(body.durationMs);
  for (const p of waveform.peaks) expect(p >= 0 && p <= 1).toBe(true);
}

describe("transcoding", () => {
  it("answers /health with the ffmpeg version", async () => {
    const response = await fetch(`${transcoder.url}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; ffmpeg: string };
    expect(body.ok).toBe(true);
    expect(body.ffmpeg).toMatch(/\d/);
  });

  it("turns a stereo 44.1 kHz FLAC into three fMP4 renditions with byte-range HLS", async () => {
    const flac = await generate(media, "stereo.flac", [...stereoSine(44100), "-c:a", "flac"]);
    const result = await transcode(transcoder, sink, flac);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      jobId: result.key,
      source: { format: "flac", codec: "flac", sampleRate: 44100, channels: 2 },
      tags: {},
      cover: null,
    });
    await checkRenditions(result, {
      qualities: ["low", "medium", "high"],
      seconds: SECONDS,
      sampleRate: 44100,
      channels: 2,
    });
    // A sine of amplitude 1/8 peaks at 0.125 throughout.
    const { peaks } = JSON.parse((result.outputs.get("waveform.json") as Stored).body.toString("utf8"));
    for (const p of peaks) expect(Math.abs(p - 0.125)).toBeLessThan(0.01);
    // Every output of the job, and nothing else, was stored.
    expect([...result.outputs.keys()].sort()).toEqual(
      [
        "download.flac",
        "high.m3u8",
        "high.mp4",
        "low.m3u8",
        "low.mp4",
        "master.m3u8",
        "medium.m3u8",
        "medium.mp4",
        "waveform.json",
      ].sort(),
    );
    const line = JSON.parse(transcoder.logs.find((l) => l.includes(result.key)) as string);
    expect(line).toMatchObject({ jobId: result.key, durationMs: SECONDS * 1000, outcome: "ok" });
    expect(line.ms).toBeGreaterThan(0);
  });

  it("keeps a mono 48 kHz WAV mono at 48 kHz", async () => {
    const wav = await generate(media, "mono48.wav", [...monoSine(48000), "-c:a", "pcm_s16le"]);
    const result = await transcode(transcoder, sink, wav);
    expect(result.status).toBe(200);
    expect(result.body.source).toMatchObject({
      format: "wav",
      codec: "pcm_s16le",
      sampleRate: 48000,
      channels: 1,
      bitrateKbps: 768,
    });
    await checkRenditions(result, {
      qualities: ["low", "medium", "high"],
      seconds: SECONDS,
      sampleRate: 48000,
      channels: 1,
    });
  });

  it("downmixes 5.1 to stereo and brings 96 kHz down to 48 kHz", async () => {
    const flac = await generate(media, "surround96.flac", [
      "-f",
      "lavfi",
      "-i",
      `sine=frequency=440:sample_rate=96000:duration=${SECONDS}`,
      "-filter_complex",
      "[0:a]pan=5.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0[a]",
      "-map",
      "[a]",
      "-c:a",
      "flac",
      "-sample_fmt",
      "s32",
    ]);
    const result = await transcode(transcoder, sink, flac);
    expect(result.status).toBe(200);
    expect(result.body.source).toMatchObject({ format: "flac", codec: "flac", sampleRate: 96000, channels: 6 });
    await checkRenditions(result, {
      qualities: ["low", "medium", "high"],
      seconds: SECONDS,
      sampleRate: 48000,
      channels: 2,
    });
    // The loudness is that of the stereo downmix listeners hear, not of the 5.1 source.
    const dir = writeOutputs(new Map([["high.mp4", result.outputs.get("high.mp4") as Stored]]));
    cleanup.push(dir);
    const heard = await integratedLoudness(join(dir, "high.mp4"));
    expect(Math.abs(result.body.loudness.integratedLufs - heard)).toBeLessThanOrEqual(0.5);
  });

  it("a fragment addressed by its byte range plays on its own after the init section", async () => {
    const flac = await generate(media, "long.flac", [
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=300:duration=13",
      "-c:a",
      "flac",
    ]);
    const result = await transcode(transcoder, sink, flac);
    expect(result.status).toBe(200);
    const file = (result.outputs.get("low.mp4") as Stored).body;
    const playlist = parseMediaPlaylist((result.outputs.get("low.m3u8") as Stored).body.toString("utf8"));
    expect(playlist.segments.length).toBeGreaterThanOrEqual(3);
    const middle = playlist.segments[1] as { offset: number; length: number; duration: number };
    const dir = writeOutputs(
      new Map([
        [
          "piece.mp4",
          {
            contentType: "audio/mp4",
            body: Buffer.concat([
              file.subarray(0, playlist.map.length),
              file.subarray(middle.offset, middle.offset + middle.length),
            ]),
          },
        ],
      ]),
    );
    cleanup.push(dir);
    expect(await decodeErrors(join(dir, "piece.mp4"))).toBe("");
    expect(Math.abs((await decodedSeconds(join(dir, "piece.mp4"))) - middle.duration)).toBeLessThan(0.001);
  });

  it("never upsamples: a 128 kbps MP3 with ID3 tags and a PNG cover gets low and medium", async () => {
    await generate(media, "cover.png", ["-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-frames:v", "1"]);
    const mp3 = await generate(media, "tagged.mp3", [
      ...stereoSine(44100),
      "-i",
      join(media, "cover.png"),
      "-map",
      "0:a",
      "-map",
      "1:v",
      "-c:a",
      "libmp3lame",
      "-b:a",
      "128k",
      "-c:v",
      "copy",
      "-id3v2_version",
      "3",
      "-metadata",
      "TITLE=Nuit Blanche",
      "-metadata",
      "artist=Zoé Léger",
      "-metadata",
      "album=Veza Sessions",
      "-metadata",
      "date=2021-06-18",
      "-metadata",
      "genre=Ambient",
      "-metadata:s:v",
      "comment=Cover (front)",
      "-disposition:v",
      "attached_pic",
    ]);
    const result = await transcode(transcoder, sink, mp3);
    expect(result.status).toBe(200);
    expect(result.body.source).toMatchObject({
      format: "mp3",
      codec: "mp3",
      sampleRate: 44100,
      channels: 2,
      bitrateKbps: 128,
    });
    await checkRenditions(result, { qualities: ["low", "medium"], seconds: SECONDS, sampleRate: 44100, channels: 2 });
    expect(result.outputs.has("high.mp4")).toBe(false);
    expect(result.body.tags).toEqual({
      title: "Nuit Blanche",
      artist: "Zoé Léger",
      album: "Veza Sessions",
      year: 2021,
      genre: "Ambient",
    });
    expect(result.body.cover).toEqual({ file: "cover.png", mimeType: "image/png" });
    const cover = result.outputs.get("cover.png") as Stored;
    expect(cover.contentType).toBe("image/png");
    expect(cover.body.equals(readFileSync(join(media, "cover.png")))).toBe(true);
  });

  it("extracts a JPEG cover and Vorbis comments from a FLAC", async () => {
    await generate(media, "cover.jpg", ["-f", "lavfi", "-i", "color=c=orange:size=48x48:duration=1", "-frames:v", "1"]);
    const flac = await generate(media, "tagged.flac", [
      ...monoSine(44100),
      "-i",
      join(media, "cover.jpg"),
      "-map",
      "0:a",
      "-map",
      "1:v",
      "-c:a",
      "flac",
      "-c:v",
      "copy",
      "-disposition:v",
      "attached_pic",
      "-metadata",
      "title=Blue",
      "-metadata",
      "ARTIST=Somebody",
      "-metadata",
      "YEAR=1999",
    ]);
    const result = await transcode(transcoder, sink, flac);
    expect(result.status).toBe(200);
    expect(result.body.tags).toEqual({ title: "Blue", artist: "Somebody", year: 1999 });
    expect(result.body.cover).toEqual({ file: "cover.jpg", mimeType: "image/jpeg" });
    const cover = result.outputs.get("cover.jpg") as Stored;
    expect(cover.contentType).toBe("image/jpeg");
    expect(cover.body.equals(readFileSync(join(media, "cover.jpg")))).toBe(true);
  });

  describe("loudness of a known signal", () => {
    // BS.1770: a 1 kHz sine of amplitude A in every channel of a stereo pair reads 20·log10(A) LUFS
    // (the -0.691 dB offset cancels the K-filter's gain at 1 kHz); a mono file reads 3.01 dB less.
    const amplitude = 0.25;
    const sine = (rate: number, layout: "mono" | "stereo") => {
      const expr = `${amplitude}*sin(2*PI*1000*t)`;
      return [
        "-f",
        "lavfi",
        "-i",
        `aevalsrc=${layout === "mono" ? expr : `${expr}|${expr}`}:s=${rate}:d=${SECONDS}`,
        "-c:a",
        "pcm_s16le",
      ];
    };
    const dbfs = 20 * Math.log10(amplitude);

    it("measures a stereo 48 kHz sine within 0.5 LU and derives the gain", async () => {
      const wav = await generate(media, "k-stereo.wav", sine(48000, "stereo"));
      const result = await transcode(transcoder, sink, wav);
      expect(result.status).toBe(200);
      const { loudness } = result.body;
      expect(Math.abs(loudness.integratedLufs - dbfs)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(loudness.truePeakDbtp - dbfs)).toBeLessThanOrEqual(0.5);
      expect(loudness.lra).toBeGreaterThanOrEqual(0);
      expect(loudness.lra).toBeLessThan(1);
      // Default target -14 LUFS: turn it down by ~2 dB.
      expect(loudness.gainDb).toBeCloseTo(-14 - loudness.integratedLufs, 2);
    });

    it("measures a mono 44.1 kHz sine 3 dB lower, and caps the gain at -1 dBTP", async () => {
      const wav = await generate(media, "k-mono.wav", sine(44100, "mono"));
      const result = await transcode(transcoder, sink, wav, { targetLufs: 0 });
      expect(result.status).toBe(200);
      const { loudness } = result.body;
      expect(Math.abs(loudness.integratedLufs - (dbfs - 3.0103))).toBeLessThanOrEqual(0.5);
      // Reaching 0 LUFS would push the peak above -1 dBTP: the gain stops at the peak limit.
      expect(-loudness.integratedLufs).toBeGreaterThan(-1 - loudness.truePeakDbtp);
      expect(loudness.gainDb).toBeCloseTo(-1 - loudness.truePeakDbtp, 2);
    });
  });

  describe.each([
    {
      name: "AAC in M4A",
      file: "s.m4a",
      args: ["-c:a", "aac", "-b:a", "256k"],
      format: "mp4",
      codec: "aac",
      qualities: ["low", "medium", "high"],
    },
    {
      name: "Ogg Opus",
      file: "s.opus",
      args: ["-c:a", "libopus", "-b:a", "96k", "-vbr", "off"],
      format: "ogg",
      codec: "opus",
      qualities: ["low"],
    },
    {
      name: "Ogg Vorbis",
      file: "s.ogg",
      args: ["-c:a", "libvorbis", "-b:a", "160k"],
      format: "ogg",
      codec: "vorbis",
      qualities: ["low", "medium"],
    },
    {
      name: "AIFF",
      file: "s.aiff",
      args: ["-c:a", "pcm_s16be"],
      format: "aiff",
      codec: "pcm_s16be",
      qualities: ["low", "medium", "high"],
    },
  ])("$name input", ({ file, args, format, codec, qualities }) => {
    it(`is transcoded (${qualities.join(", ")})`, async () => {
      const source = await generate(media, file, [...stereoSine(48000), ...args]);
      const result = await transcode(transcoder, sink, source);
      expect(result.status).toBe(200);
      expect(result.body.source).toMatchObject({ format, codec, sampleRate: 48000, channels: 2 });
      expect(result.body.renditions.map((r: { quality: string }) => r.quality)).toEqual(qualities);
      expect(Math.abs(result.body.durationMs - SECONDS * 1000)).toBeLessThanOrEqual(50);
      const dir = writeOutputs(result.outputs);
      cleanup.push(dir);
      for (const r of result.body.renditions) {
        const probe = await ffprobeJson(join(dir, r.file));
        expect(Math.abs(Number(probe.format.duration) - SECONDS)).toBeLessThanOrEqual(0.05);
        checkByteRanges(
          r.file,
          (result.outputs.get(r.file) as Stored).body,
          (result.outputs.get(r.playlist) as Stored).body.toString("utf8"),
        );
      }
    });
  });

  it("transcodes a file cut off mid-stream for what it holds", async () => {
    const wav = await generate(media, "cut.wav", [...stereoSine(44100), "-c:a", "pcm_s16le"]);
    const cut = wav.subarray(0, 44 + 44100 * 4 * 2); // header + 2 s of the 5 s
    const result = await transcode(transcoder, sink, cut);
    expect(result.status).toBe(200);
    expect(Math.abs(result.body.durationMs - 2000)).toBeLessThanOrEqual(50);
  });
});
