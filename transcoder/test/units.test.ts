// The pieces on their own: loudness parsing and gain, waveform peaks, rendition choice, job
// validation, the ffprobe-less probe, the fMP4 rewrite and the playlists.

import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundledFfmpeg } from "../config.ts";
import { analyzeFmp4, childBoxes, parseBoxHeader } from "../fmp4.ts";
import { bandwidthOf, masterPlaylist, mediaPlaylist } from "../hls.ts";
import { outputSampleRate, parseJob, renditionsFor } from "../job.ts";
import { loudnessFrom, parseEbur128Summary, playbackGain } from "../loudness.ts";
import { fromFfmpegBanner, probe } from "../probe.ts";
import { sourceInputOptions } from "../source-format.ts";
import { PeakAccumulator } from "../waveform.ts";
import {
  FFMPEG,
  FFPROBE,
  generate,
  parseSidx,
  scratchDir,
  startSink,
  startTranscoder,
  topBoxes,
  transcode,
} from "./helpers.ts";

let media: string;

beforeAll(() => {
  media = scratchDir();
});

afterAll(() => {
  rmSync(media, { recursive: true, force: true });
});

describe("loudness", () => {
  const summary = `[Parsed_ebur128_1 @ 0x5625ed5d5f80] Summary:

  Integrated loudness:
    I:         -18.7 LUFS
    Threshold: -28.7 LUFS

  Loudness range:
    LRA:         6.3 LU
    Threshold: -38.7 LUFS
    LRA low:   -21.7 LUFS
    LRA high:  -15.4 LUFS

  True peak:
    Peak:       -0.4 dBFS
[aac @ 0x5625ed5a8a80] Qavg: 293.102`;

  it("reads ebur128's summary", () => {
    expect(parseEbur128Summary(`noise\n${summary}`)).toEqual({ integrated: -18.7, lra: 6.3, truePeak: -0.4 });
    expect(parseEbur128Summary("no summary here")).toBeNull();
  });

  it("gain is target minus integrated, capped so the true peak stays at or below -1 dBTP", () => {
    expect(playbackGain(-14, -18.7, -6)).toBeCloseTo(4.7, 10);
    // +4.7 dB would take a -0.4 dBTP peak to +4.3: the cap leaves -0.6 dB.
    expect(playbackGain(-14, -18.7, -0.4)).toBeCloseTo(-0.6, 10);
    expect(loudnessFrom({ integrated: -18.7, lra: 6.3, truePeak: -0.4 }, -14)).toEqual({
      integratedLufs: -18.7,
      truePeakDbtp: -0.4,
      lra: 6.3,
      gainDb: -0.6,
    });
  });

  it("digital silence gets finite numbers", () => {
    const silence = parseEbur128Summary("Summary:\n I: -70.0 LUFS\n LRA: 0.0 LU\n True peak:\n Peak: -inf dBFS\n");
    expect(silence).toEqual({ integrated: -70, lra: 0, truePeak: Number.NEGATIVE_INFINITY });
    const loudness = loudnessFrom(silence as NonNullable<typeof silence>, -14);
    expect(loudness).toEqual({ integratedLufs: -70, truePeakDbtp: -144, lra: 0, gainDb: 56 });
    expect(JSON.parse(JSON.stringify(loudness))).toEqual(loudness);
  });
});

describe("waveform peaks", () => {
  const pcm = (frames: number[][]) => {
    const buf = Buffer.alloc(frames.length * frames[0]!.length * 2);
    let at = 0;
    for (const frame of frames) for (const v of frame) at = buf.writeInt16LE(v, at);
    return buf;
  };

  it("takes the loudest channel of each block, whatever the chunking", () => {
    const frames = Array.from({ length: 8000 }, (_, i) => [i % 4000 === 0 ? 16384 : 100, i === 5000 ? -32768 : -50]);
    const whole = new PeakAccumulator(2, 8000);
    whole.push(pcm(frames));
    const split = new PeakAccumulator(2, 8000);
    const bytes = pcm(frames);
    for (let at = 0; at < bytes.length; at += 333) split.push(bytes.subarray(at, at + 333)); // odd, unaligned pieces
    expect(split.frames).toBe(8000);
    const a = whole.finish(10);
    expect(split.finish(10)).toEqual(a);
    expect(a).toHaveLength(10);
    expect(a[0]).toBe(0.5);
    expect(a[5]).toBe(0.5);
    expect(a[6]).toBe(1);
    expect(a[1]).toBe(0.003);
  });

  it("keeps its memory bounded when the duration estimate is far too short", () => {
    const acc = new PeakAccumulator(1, 1000); // expects 1000 frames...
    const second = Buffer.alloc(44100 * 2);
    for (let i = 0; i < 60; i++) acc.push(second); // ...gets a minute
    acc.push(pcm([[32767]]));
    expect(acc.frames).toBe(44100 * 60 + 1);
    expect(acc.blockFrames).toBeGreaterThan(1);
    const peaks = acc.finish();
    expect(peaks).toHaveLength(1000);
    expect(peaks[999]).toBe(1);
    expect(Math.max(...peaks.slice(0, 999))).toBe(0);
  });

  it("gives about 1000 points, fewer only when there are fewer blocks", () => {
    const long = new PeakAccumulator(1, 44100 * 3);
    long.push(Buffer.alloc(44100 * 3 * 2));
    expect(long.finish()).toHaveLength(1000);
    const tiny = new PeakAccumulator(1, 10);
    tiny.push(pcm([[1000], [2000], [3000]]));
    expect(tiny.finish()).toEqual([0.031, 0.061, 0.092]);
  });
});

describe("renditions", () => {
  it("never goes above a lossy source's bitrate; lossless gets all three", () => {
    const q = (codec: string, bps: number | null) => renditionsFor(codec, bps).map((r) => r.quality);
    expect(q("mp3", 128_000)).toEqual(["low", "medium"]);
    expect(q("mp3", 320_000)).toEqual(["low", "medium", "high"]);
    expect(q("mp3", 245_000)).toEqual(["low", "medium", "high"]); // V0 VBR, within 10 %
    expect(q("mp3", 96_000)).toEqual(["low"]);
    expect(q("mp3", 32_000)).toEqual(["low"]);
    expect(q("aac", null)).toEqual(["low", "medium"]);
    expect(q("flac", null)).toEqual(["low", "medium", "high"]);
    expect(q("pcm_s24le", 2_304_000)).toEqual(["low", "medium", "high"]);
    expect(q("alac", 900_000)).toEqual(["low", "medium", "high"]);
  });

  it("keeps AAC sample rates, never above 48 kHz", () => {
    expect(outputSampleRate(44100)).toBe(44100);
    expect(outputSampleRate(48000)).toBe(48000);
    expect(outputSampleRate(96000)).toBe(48000);
    expect(outputSampleRate(88200)).toBe(44100);
    expect(outputSampleRate(22050)).toBe(22050);
    expect(outputSampleRate(37800)).toBe(44100);
  });
});

describe("job validation", () => {
  it("defaults targetLufs to -14", () => {
    const job = parseJob({
      jobId: "j",
      trackId: "t",
      format: "mp3",
      sourceUrl: "https://a.example/x",
      outputBaseUrl: "https://a.example/o/",
    });
    expect(job.targetLufs).toBe(-14);
    expect(parseJob({ ...job, targetLufs: -23 }).targetLufs).toBe(-23);
    expect(() => parseJob({ ...job, targetLufs: 5 })).toThrow(/targetLufs/);
    expect(() => parseJob({ ...job, sourceUrl: "file:///etc/passwd" })).toThrow(/sourceUrl/);
  });
});

describe("probing without ffprobe", () => {
  it("parses the stream summary of `ffmpeg -i`", () => {
    const info = fromFfmpegBanner(`Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x':
  Metadata:
    major_brand     : M4A 
    title           : Song
    ARTIST          : Band
  Duration: 00:03:25.50, start: 0.000000, bitrate: 262 kb/s
  Stream #0:0[0x1](und): Audio: aac (LC) (mp4a / 0x6134706D), 48000 Hz, 5.1, fltp, 256 kb/s (default)
    Metadata:
      handler_name    : SoundHandler
  Stream #0:1[0x0]: Video: mjpeg (Baseline), yuvj420p(pc), 500x500, 90k tbr, 90k tbn (attached pic)
At least one output file must be specified`);
    expect(info).toMatchObject({
      formatName: "mov,mp4,m4a,3gp,3g2,mj2",
      duration: 205.5,
      bitRate: 262_000,
      tags: { title: "Song", artist: "Band" },
    });
    expect(info?.streams).toMatchObject([
      {
        index: 0,
        codecType: "audio",
        codecName: "aac",
        sampleRate: 48000,
        channels: 6,
        bitRate: 256_000,
        isDefault: true,
      },
      { index: 1, codecType: "video", codecName: "mjpeg", attachedPic: true },
    ]);
    expect(fromFfmpegBanner("x: Invalid data found when processing input")).toBeNull();
  });

  it("agrees with ffprobe on a tagged MP3", async () => {
    const mp3 = join(media, "probe.mp3");
    await generate(media, "probe.mp3", [
      "-f",
      "lavfi",
      "-i",
      "sine=duration=2",
      "-c:a",
      "libmp3lame",
      "-b:a",
      "96k",
      "-metadata",
      "title=Probe",
      "-metadata",
      "artist=Someone",
      "-metadata",
      "date=2003",
    ]);
    const options = { inputOptions: sourceInputOptions("mp3"), timeoutMs: 10_000 };
    const viaFfprobe = await probe(mp3, { ffprobePath: FFPROBE, ffmpegPath: FFMPEG }, options);
    const viaFfmpeg = await probe(mp3, { ffprobePath: null, ffmpegPath: FFMPEG }, options);
    if (!viaFfprobe.ok || !viaFfmpeg.ok) throw new Error("probe failed");
    const a = viaFfprobe.info;
    const b = viaFfmpeg.info;
    expect(b.formatName).toBe(a.formatName);
    expect(Math.abs((b.duration ?? 0) - (a.duration ?? 0))).toBeLessThan(0.01);
    expect(b.tags).toMatchObject({ title: "Probe", artist: "Someone", date: "2003" });
    expect(b.streams[0]).toMatchObject({
      codecType: "audio",
      codecName: a.streams[0]?.codecName,
      sampleRate: a.streams[0]?.sampleRate,
      channels: a.streams[0]?.channels,
      bitRate: a.streams[0]?.bitRate,
    });
  });

  it("runs a whole job with only an ffmpeg binary (the npm-bundled one when installed)", async () => {
    const ffmpegPath = bundledFfmpeg() ?? FFMPEG;
    const [sink, transcoder] = await Promise.all([startSink(), startTranscoder({ ffprobePath: null, ffmpegPath })]);
    try {
      await generate(media, "art.png", ["-f", "lavfi", "-i", "color=c=blue:size=32x32:duration=1", "-frames:v", "1"]);
      const mp3 = await generate(media, "job.mp3", [
        "-f",
        "lavfi",
        "-i",
        "sine=duration=3",
        "-i",
        join(media, "art.png"),
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
        "-disposition:v",
        "attached_pic",
        "-metadata",
        "title=Fallback",
        "-metadata",
        "genre=Test",
      ]);
      const result = await transcode(transcoder, sink, mp3);
      expect(result.status).toBe(200);
      expect(result.body.renditions.map((r: { quality: string }) => r.quality)).toEqual(["low", "medium"]);
      expect(Math.abs(result.body.durationMs - 3000)).toBeLessThanOrEqual(50);
      expect(result.body.tags).toEqual({ title: "Fallback", genre: "Test" });
      expect(result.body.cover).toEqual({ file: "cover.png", mimeType: "image/png" });
      expect(result.outputs.get("cover.png")?.body.equals(readFileSync(join(media, "art.png")))).toBe(true);
    } finally {
      await Promise.all([sink.close(), transcoder.close()]);
    }
  });
});

describe("fragmented MP4 rewrite", () => {
  it("adds the total duration to the moov and finds every fragment", async () => {
    const file = join(media, "frag.mp4");
    await generate(media, "frag.mp4", [
      "-f",
      "lavfi",
      "-i",
      "sine=duration=10:sample_rate=48000",
      "-c:a",
      "aac",
      "-b:a",
      "64k",
      "-movflags",
      "+empty_moov+default_base_moof+delay_moov+skip_trailer",
      "-frag_duration",
      "2000000",
      "-f",
      "mp4",
    ]);
    const layout = await analyzeFmp4(file);
    const original = readFileSync(file);
    const boxes = topBoxes(original);
    expect(layout.mediaStart).toBe(boxes.find((b) => b.type === "moof")?.start);
    expect(layout.mediaEnd).toBe(original.length);
    expect(layout.fragments.length).toBe(boxes.filter((b) => b.type === "moof").length);
    expect(layout.fragments.length).toBeGreaterThanOrEqual(5);
    // Fragments tile the media data, and their tfdt times add up.
    let at = layout.mediaStart;
    let time = 0;
    for (const f of layout.fragments) {
      expect(f.start).toBe(at);
      expect(f.baseMediaDecodeTime).toBe(time);
      at += f.size;
      time += f.duration;
    }
    expect(layout.timescale).toBe(48000);
    expect(layout.primingDuration).toBe(1024);
    expect(layout.totalDuration - layout.primingDuration).toBe(480000);

    // The rewritten init section: ftyp + moov, with mvex/mehd holding the duration (ms).
    const init = topBoxes(layout.init);
    expect(init.map((b) => b.type)).toEqual(["ftyp", "moov"]);
    const moov = parseBoxHeader(layout.init, init[1]!.start, layout.init.length)!;
    const mvex = childBoxes(layout.init, moov.start + 8, moov.start + moov.size).find((b) => b.type === "mvex")!;
    const mehd = childBoxes(layout.init, mvex.start + 8, mvex.start + mvex.size).find((b) => b.type === "mehd")!;
    expect(Number(layout.init.readBigUInt64BE(mehd.start + 12))).toBe(10_000);
    expect(layout.outputSize).toBe(layout.init.length + layout.index.length + (layout.mediaEnd - layout.mediaStart));
    // The sidx: one reference per fragment, with its size and duration, in the media timescale.
    const index = parseSidx(layout.index);
    expect(index.timescale).toBe(48000);
    expect(index.earliestPresentationTime).toBe(0);
    expect(index.firstOffset).toBe(0);
    expect(index.references.map((r) => [r.size, r.duration])).toEqual(
      layout.fragments.map((f) => [f.size, f.duration]),
    );

    // ffmpeg reads the rewritten, indexed file as 10 s of audio.
    const rewritten = join(media, "rewritten.mp4");
    writeFileSync(rewritten, Buffer.concat([layout.init, layout.index, original.subarray(layout.mediaStart)]));
    const out = execFileSync(FFPROBE, ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", rewritten]);
    expect(Math.abs(Number(String(out).trim()) - 10)).toBeLessThan(0.05);
  });
});

describe("playlists", () => {
  it("writes a v7 media playlist with byte ranges and a master playlist", () => {
    const segments = [
      { offset: 700, length: 1000, durationS: 4.0 },
      { offset: 1700, length: 1200, durationS: 4.0 },
      { offset: 2900, length: 300, durationS: 1.5 },
    ];
    expect(mediaPlaylist("low.mp4", 700, segments)).toBe(
      [
        "#EXTM3U",
        "#EXT-X-VERSION:7",
        "#EXT-X-TARGETDURATION:4",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
        "#EXT-X-INDEPENDENT-SEGMENTS",
        '#EXT-X-MAP:URI="low.mp4",BYTERANGE="700@0"',
        "#EXTINF:4.000000,",
        "#EXT-X-BYTERANGE:1000@700",
        "low.mp4",
        "#EXTINF:4.000000,",
        "#EXT-X-BYTERANGE:1200@1700",
        "low.mp4",
        "#EXTINF:1.500000,",
        "#EXT-X-BYTERANGE:300@2900",
        "low.mp4",
        "#EXT-X-ENDLIST",
        "",
      ].join("\n"),
    );
    const bw = bandwidthOf(segments);
    expect(bw).toEqual({ peak: 2400, average: Math.ceil((2500 * 8) / 9.5) });
    expect(masterPlaylist([{ playlist: "low.m3u8", codecs: "mp4a.40.2", ...bw }])).toBe(
      `#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=2400,AVERAGE-BANDWIDTH=${bw.average},CODECS="mp4a.40.2"\nlow.m3u8\n`,
    );
  });
});
