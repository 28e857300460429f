// The transcoder's door and what it reads: only signed jobs, and a source is read as the type the
// Worker sniffed and nothing else (security review #1 and #2).

import { execFile, spawn } from "node:child_process";
import { readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probe } from "../probe.ts";
import { createTranscoderServer } from "../server.ts";
import { sourceInputOptions } from "../source-format.ts";
import type { Harness, Sink } from "./helpers.ts";
import {
  FFMPEG,
  FFPROBE,
  generate,
  scratchDir,
  signedJobHeaders,
  startSink,
  startTranscoder,
  TEST_JOB_SECRET,
  transcode,
} from "./helpers.ts";

const run = promisify(execFile);

let sink: Sink;
let transcoder: Harness;
let media: string;
let flac: Buffer;

beforeAll(async () => {
  media = scratchDir();
  [sink, transcoder] = await Promise.all([startSink(), startTranscoder()]);
  flac = await generate(media, "ok.flac", ["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "flac"]);
});

afterAll(async () => {
  await Promise.all([sink?.close(), transcoder?.close()]);
  rmSync(media, { recursive: true, force: true });
});

describe("signed jobs", () => {
  const jobFor = (key: string) =>
    JSON.stringify({
      jobId: key,
      trackId: "t",
      format: "flac",
      sourceUrl: sink.source(key, flac),
      outputBaseUrl: sink.outputBase(key),
    });
  const post = (body: string, headers: Record<string, string>) =>
    fetch(`${transcoder.url}/jobs`, { method: "POST", headers, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { error?: { code: string } },
    }));
  const fetched = (key: string) => sink.sourceRequests.some((r) => r.name === key);

  it.each([
    ["no signature", () => ({ "content-type": "application/json" })],
    [
      "a signature made with another secret",
      (body: string) => signedJobHeaders(body, "another-secret-0123456789abcdefghijkl"),
    ],
    ["an expired signature", (body: string) => signedJobHeaders(body, TEST_JOB_SECRET, -1)],
    ["a signature valid for an hour", (body: string) => signedJobHeaders(body, TEST_JOB_SECRET, 3600)],
    ["the signature of another job", () => signedJobHeaders(jobFor("someone-else"))],
  ])("refuses %s with 401 before fetching anything", async (name, headers) => {
    const key = `unsigned-${name.replace(/\W+/g, "-")}`;
    const body = jobFor(key);
    const answer = await post(body, headers(body));
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe("unauthorized");
    expect(fetched(key)).toBe(false);
  });

  it("runs a signed job once, and refuses the same signed request replayed", async () => {
    const body = jobFor("replayed");
    const headers = signedJobHeaders(body);
    expect((await post(body, headers)).status).toBe(200);
    const replay = await post(body, headers);
    expect(replay.status).toBe(401);
    expect(sink.sourceRequests.filter((r) => r.name === "replayed")).toHaveLength(1);
  });

  it("will not start without a secret of at least 32 characters", () => {
    expect(() => createTranscoderServer({ jobSecret: "" })).toThrow(/TRANSCODER_SECRET/);
    expect(() => createTranscoderServer({ jobSecret: "short-secret" })).toThrow(/TRANSCODER_SECRET/);
  });

  it("listens on loopback unless HOST says otherwise, and exits when TRANSCODER_SECRET is missing", async () => {
    const start = (env: Record<string, string>) =>
      new Promise<{ code: number | null; output: string }>((resolve) => {
        const { HOST: _host, TRANSCODER_SECRET: _secret, ...inherited } = process.env;
        const child = spawn(process.execPath, [join(import.meta.dirname, "../server.ts")], {
          env: { ...inherited, PORT: "0", ...env },
          stdio: ["ignore", "pipe", "pipe"],
        });
        let output = "";
        const collect = (chunk: Buffer) => {
          output += chunk;
          if (output.includes('"listening"')) child.kill("SIGKILL");
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("exit", (code) => resolve({ code, output }));
        setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
      });
    const missing = await start({});
    expect(missing.code).toBe(1);
    expect(missing.output).toMatch(/TRANSCODER_SECRET/);
    const listening = await start({ TRANSCODER_SECRET: TEST_JOB_SECRET });
    expect(JSON.parse(listening.output.trim().split("\n")[0] as string)).toMatchObject({
      event: "listening",
      host: "127.0.0.1",
    });
  });
});

describe("a hostile upload: an ID3 tag hiding an HLS playlist of a local file", () => {
  let marker: string;
  let hostile: Buffer;
  const OLD = new Date("2001-01-01T00:00:00Z");

  /** The marker's atime goes back to 2001, so that any read of it moves it (relatime updates old atimes). */
  const resetAtime = () => utimesSync(marker, OLD, statSync(marker).mtime);
  const markerWasRead = () => statSync(marker).atimeMs > OLD.getTime();

  beforeAll(async () => {
    await generate(media, "host-secret.mp3", ["-f", "lavfi", "-i", "sine=frequency=1000:duration=3"]);
    marker = join(media, "host-secret.mp3");
    // Exactly the review's file: `ID3\x03\0\0`, syncsafe 5000, 5000 zero bytes, then the playlist.
    const playlist = `#EXTM3U\n#EXT-X-TARGETDURATION:1000\n#EXTINF:900,\nfile://${marker}\n#EXT-X-ENDLIST`;
    hostile = Buffer.concat([
      Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0x27, 0x08]),
      Buffer.alloc(5000),
      Buffer.from(playlist),
    ]);
  });

  it("is dangerous to ffmpeg left to guess (control: the marker's atime shows the read)", async () => {
    writeFileSync(join(media, "hostile.mp3"), hostile);
    resetAtime();
    expect(markerWasRead()).toBe(false);
    await run(FFMPEG, ["-v", "error", "-i", join(media, "hostile.mp3"), "-f", "null", "-"]);
    expect(markerWasRead()).toBe(true);
  });

  it("is refused by ffprobe and by the ffmpeg probe with the pinned demuxer, without opening the file", async () => {
    const path = join(media, "hostile-probe.mp3");
    writeFileSync(path, hostile);
    for (const ffprobePath of [FFPROBE, null]) {
      resetAtime();
      const outcome = await probe(
        path,
        { ffprobePath, ffmpegPath: FFMPEG },
        { inputOptions: sourceInputOptions("mp3"), timeoutMs: 10_000 },
      );
      if (outcome.ok) expect(outcome.info.streams.filter((s) => s.codecType === "audio" && s.sampleRate)).toEqual([]);
      expect(markerWasRead()).toBe(false);
    }
  });

  it("ends the job 422 invalid_audio with no output, the local file never opened", async () => {
    resetAtime();
    const answer = await transcode(transcoder, sink, hostile);
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("invalid_audio");
    expect(answer.outputs.size).toBe(0);
    expect(markerWasRead()).toBe(false);
  });

  it("refuses a file whose container is not the type the job names", async () => {
    const answer = await transcode(transcoder, sink, flac, { format: "m4a" });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe("invalid_audio");
    expect(answer.outputs.size).toBe(0);
    expect(readFileSync(marker).length).toBeGreaterThan(0);
  });
});

describe("the download copy of the original", () => {
  const SECRET = "uploader home: 12 Secret Street, GPS 48.85,2.35";

  it.each([
    {
      name: "MP3 with ID3 tags and a cover",
      file: "tagged.mp3",
      codec: "mp3",
      args: ["-c:a", "libmp3lame", "-b:a", "128k"],
    },
    { name: "FLAC with Vorbis comments and a cover", file: "tagged.flac", codec: "flac", args: ["-c:a", "flac"] },
  ])("keeps the audio of a $name and drops every tag and picture", async ({ file, codec, args }) => {
    await generate(media, "art.png", ["-f", "lavfi", "-i", "color=c=red:s=32x32", "-frames:v", "1"]);
    const source = await generate(media, file, [
      "-f",
      "lavfi",
      "-i",
      "sine=frequency=440:duration=2",
      "-i",
      join(media, "art.png"),
      "-map",
      "0:a",
      "-map",
      "1:v",
      ...args,
      "-c:v",
      "png",
      "-disposition:v",
      "attached_pic",
      "-metadata",
      `comment=${SECRET}`,
      "-metadata",
      "artist=Someone Private",
    ]);
    expect(source.includes(Buffer.from(SECRET))).toBe(true);
    const answer = await transcode(transcoder, sink, source);
    expect(answer.status).toBe(200);
    const ext = file.slice(file.lastIndexOf(".") + 1);
    expect(answer.body.download).toMatchObject({ file: `download.${ext}` });
    const download = answer.outputs.get(`download.${ext}`)?.body as Buffer;
    expect(download.length).toBe(answer.body.download.bytes);
    expect(download.includes(Buffer.from(SECRET))).toBe(false);
    expect(download.includes(Buffer.from("Someone Private"))).toBe(false);
    writeFileSync(join(media, `download.${ext}`), download);
    const probed = JSON.parse(
      (
        await run(FFPROBE, [
          "-v",
          "error",
          "-print_format",
          "json",
          "-show_format",
          "-show_streams",
          join(media, `download.${ext}`),
        ])
      ).stdout,
    );
    expect(probed.streams.map((s: { codec_type: string; codec_name: string }) => [s.codec_type, s.codec_name])).toEqual(
      [["audio", codec]],
    );
    expect(probed.format.tags ?? {}).toEqual({});
    expect(Math.abs(Number(probed.format.duration) - 2)).toBeLessThan(0.1);
  });
});
