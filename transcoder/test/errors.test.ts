// What the transcoder refuses, and how: permanent problems with the input are 422, transient ones
// 5xx; every child process is reaped and every temporary directory removed.

import { rmSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Harness, Sink } from "./helpers.ts";
import {
  generate,
  leftovers,
  postJob,
  processesMentioning,
  pseudoRandomBytes,
  scratchDir,
  signedJobHeaders,
  silentWav,
  startSink,
  startTranscoder,
  transcode,
} from "./helpers.ts";

let sink: Sink;
let transcoder: Harness;
let media: string;
let flac: Buffer;

beforeAll(async () => {
  media = scratchDir();
  [sink, transcoder] = await Promise.all([startSink(), startTranscoder()]);
  flac = await generate(media, "ok.flac", ["-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "flac"]);
});

afterAll(async () => {
  await Promise.all([sink?.close(), transcoder?.close()]);
  rmSync(media, { recursive: true, force: true });
});

afterEach(() => {
  expect(leftovers(transcoder.tmpDir)).toEqual([]);
  expect(processesMentioning(transcoder.tmpDir)).toEqual([]);
});

function expectError(answer: { status: number; body: any }, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(Object.keys(answer.body)).toEqual(["error"]);
  expect(answer.body.error.code).toBe(code);
  expect(answer.body.error.message).toMatch(/^[A-Z].*\.$/);
  // A human sentence: no stack trace, no temporary paths.
  expect(answer.body.error.message).not.toMatch(/\n|\bat .+:\d+|veza-job-|\/tmp\//);
}

describe("bad jobs", () => {
  it.each([
    ["not JSON", "{jobId:"],
    ["an array", []],
    ["no jobId", { trackId: "t", sourceUrl: "http://x/a", outputBaseUrl: "http://x/o/" }],
    ["no trackId", { jobId: "j", sourceUrl: "http://x/a", outputBaseUrl: "http://x/o/" }],
    ["a relative sourceUrl", { jobId: "j", trackId: "t", sourceUrl: "/a", outputBaseUrl: "http://x/o/" }],
    [
      "an outputBaseUrl without a trailing slash",
      { jobId: "j", trackId: "t", sourceUrl: "http://x/a", outputBaseUrl: "http://x/o" },
    ],
    ["no format", { jobId: "j", trackId: "t", sourceUrl: "http://x/a", outputBaseUrl: "http://x/o/" }],
    [
      "a format ffmpeg would have to guess",
      { jobId: "j", trackId: "t", format: "hls", sourceUrl: "http://x/a", outputBaseUrl: "http://x/o/" },
    ],
    [
      "a targetLufs that is not a number",
      { jobId: "j", trackId: "t", sourceUrl: "http://x/a", outputBaseUrl: "http://x/o/", targetLufs: "-14" },
    ],
  ])("refuses %s with 400 invalid_job", async (_name, job) => {
    expectError(await postJob(transcoder, job), 400, "invalid_job");
  });

  it("answers unknown paths and methods in the same envelope", async () => {
    const missing = await fetch(`${transcoder.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe("not_found");
    const wrong = await fetch(`${transcoder.url}/jobs`);
    expect(wrong.status).toBe(405);
    expect(((await wrong.json()) as any).error.code).toBe("method_not_allowed");
  });
});

describe("bad audio is refused for good (422)", () => {
  it("random bytes", async () => {
    expectError(await transcode(transcoder, sink, pseudoRandomBytes(64 * 1024)), 422, "invalid_audio");
  });

  it("a text file", async () => {
    const text = Buffer.from("Track list\n1. Intro\n2. Outro\n".repeat(200));
    expectError(await transcode(transcoder, sink, text), 422, "invalid_audio");
  });

  it("a zero-length file", async () => {
    const answer = await transcode(transcoder, sink, Buffer.alloc(0));
    expectError(answer, 422, "invalid_audio");
    expect(answer.body.error.message).toMatch(/empty/);
  });

  it("a FLAC truncated inside its header", async () => {
    expectError(await transcode(transcoder, sink, flac.subarray(0, 300)), 422, "invalid_audio");
  });

  it("a FLAC whose header is corrupt", async () => {
    const corrupt = Buffer.concat([pseudoRandomBytes(42, 7), flac.subarray(42)]);
    expectError(await transcode(transcoder, sink, corrupt), 422, "invalid_audio");
  });

  it("a 10-hour file, quickly and without decoding it", async () => {
    const tenHours = silentWav(10 * 3600, 1000); // 36 MB of real (silent) 1 kHz PCM
    const spawnedBefore = transcoder.spawned.length;
    const answer = await transcode(transcoder, sink, tenHours);
    expectError(answer, 422, "invalid_audio");
    expect(answer.body.error.message).toMatch(/10:00:00.*3:00:00/);
    expect(answer.ms).toBeLessThan(5000);
    // Only the probe ran: no ffmpeg transcode was started.
    const spawned = transcoder.spawned.slice(spawnedBefore);
    expect(spawned.some((child) => child.spawnargs.includes("aac"))).toBe(false);
  });
});

describe("transient failures (5xx)", () => {
  it("a source that cannot be fetched is 502 source_unavailable", async () => {
    const answer = await postJob(transcoder, {
      jobId: "missing",
      trackId: "t",
      format: "flac",
      sourceUrl: `${sink.url}/src/does-not-exist`,
      outputBaseUrl: sink.outputBase("missing"),
    });
    expectError(answer, 502, "source_unavailable");
  });

  it("an unreachable source is 502 source_unavailable", async () => {
    const answer = await postJob(transcoder, {
      jobId: "unreachable",
      trackId: "t",
      format: "flac",
      sourceUrl: "http://127.0.0.1:9/source",
      outputBaseUrl: sink.outputBase("unreachable"),
    });
    expectError(answer, 502, "source_unavailable");
  });

  it("an output PUT answered 500 is 502 output_failed", async () => {
    sink.failPuts("job-refused", 500);
    const answer = await postJob(transcoder, {
      jobId: "job-refused",
      trackId: "t",
      format: "flac",
      sourceUrl: sink.source("job-refused", flac),
      outputBaseUrl: sink.outputBase("job-refused"),
    });
    expectError(answer, 502, "output_failed");
  });

  it("an ffmpeg run over its time limit is killed and answered 504 timeout", async () => {
    const slow = await startTranscoder({ ffmpegTimeoutMs: 300 });
    try {
      const long = await generate(media, "long.flac", [
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=120",
        "-c:a",
        "flac",
      ]);
      const answer = await transcode(slow, sink, long);
      expectError(answer, 504, "timeout");
      expect(answer.ms).toBeLessThan(10_000);
      const encoders = slow.spawned.filter((child) => child.spawnargs.includes("aac"));
      expect(encoders.length).toBeGreaterThan(0);
      for (const child of encoders) {
        expect(child.signalCode).toBe("SIGKILL");
        expect(child.exitCode).toBeNull();
      }
      expect(processesMentioning(slow.tmpDir)).toEqual([]);
      expect(leftovers(slow.tmpDir)).toEqual([]);
      expect(JSON.parse(slow.logs[0] as string)).toMatchObject({ outcome: "timeout", status: 504 });
    } finally {
      await slow.close();
    }
  });
});

describe("without a working ffmpeg", () => {
  it("reports unhealthy, and jobs fail as transient errors", async () => {
    const broken = await startTranscoder({ ffmpegPath: "/nonexistent/ffmpeg" });
    try {
      const health = await fetch(`${broken.url}/health`);
      expect(health.status).toBe(503);
      expect(((await health.json()) as { ok: boolean }).ok).toBe(false);
      expectError(await transcode(broken, sink, flac), 500, "transcode_failed");
      expect(leftovers(broken.tmpDir)).toEqual([]);
    } finally {
      await broken.close();
    }
  });
});

describe("a client that hangs up", () => {
  it("cancels its job: the ffmpeg processes are killed and the temporary files removed", async () => {
    const own = await startTranscoder();
    try {
      const long = await generate(media, "hangup.flac", [
        "-f",
        "lavfi",
        "-i",
        "sine=frequency=440:duration=120",
        "-c:a",
        "flac",
      ]);
      const controller = new AbortController();
      const body = JSON.stringify({
        jobId: "hangup",
        trackId: "t",
        format: "flac",
        sourceUrl: sink.source("hangup", long),
        outputBaseUrl: sink.outputBase("hangup"),
      });
      const request = fetch(`${own.url}/jobs`, {
        method: "POST",
        headers: signedJobHeaders(body),
        body,
        signal: controller.signal,
      }).catch((error: Error) => error);
      // Hang up once the encoders are running.
      const deadline = Date.now() + 10_000;
      while (!own.spawned.some((child) => child.spawnargs.includes("aac")) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      controller.abort();
      expect(await request).toBeInstanceOf(Error);
      while (own.logs.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(JSON.parse(own.logs[0] as string)).toMatchObject({ jobId: "hangup", outcome: "aborted" });
      const encoders = own.spawned.filter((child) => child.spawnargs.includes("aac"));
      expect(encoders.length).toBeGreaterThan(0);
      for (const child of encoders) expect(child.signalCode).toBe("SIGKILL");
      expect(processesMentioning(own.tmpDir)).toEqual([]);
      expect(leftovers(own.tmpDir)).toEqual([]);
      expect(sink.outputs("hangup").size).toBe(0);
    } finally {
      await own.close();
    }
  });
});

describe("concurrency", () => {
  it("runs at most TRANSCODER_CONCURRENCY jobs at once; the others wait their turn", async () => {
    const single = await startTranscoder({ concurrency: 1 });
    try {
      const first = transcode(single, sink, flac);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const second = transcode(single, sink, flac);
      const [a, b] = await Promise.all([first, second]);
      expect(a.status).toBe(200);
      expect(b.status).toBe(200);
      // The second job's source was only fetched once the first job had stored all its outputs.
      const firstStored = Math.max(...sink.storedAt.filter((s) => s.key === a.key).map((s) => s.at));
      const secondFetch = sink.sourceRequests.find((r) => r.name === b.key);
      expect(secondFetch?.at).toBeGreaterThanOrEqual(firstStored);
      expect(leftovers(single.tmpDir)).toEqual([]);
    } finally {
      await single.close();
    }
  });
});
