import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createTrackDraft, getTrackRow } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import worker from "../../index.ts";
import { registerUser } from "../../test/http.ts";
import { backoffSeconds } from "../transcode-consumer.ts";
import { transcodeMessage } from "../transcode-message.ts";
import { signTranscodeJob } from "../transcoder-client.ts";

// The test runtime points TRANSCODER_URL at a port nothing listens on: the transcoder is "down".

/** A track whose upload completed (a sniffed WAV) and that waits for its transcode. */
async function processingTrack() {
  const user = await registerUser();
  const track = await createTrackDraft(getDb(env.DB), { ownerId: user.id, title: "Queued", status: "processing" });
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO uploads (id, track_id, user_id, r2_upload_id, object_key, filename, declared_type, size, part_size,
       status, mime_type, created_at, updated_at)
     VALUES (?1, ?2, ?3, 'r2', ?4, 'queued.wav', 'audio/wav', 100, 100, 'completed', 'audio/wav', ?5, ?5)`,
  )
    .bind(`up-${track.id}`, track.id, user.id, `tracks/${track.id}/original`, now)
    .run();
  return { user, track };
}

async function deliver(body: unknown, attempts: number) {
  const batch = createMessageBatch("transcode", [
    { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return getQueueResult(batch, ctx);
}

describe("the transcode queue consumer", () => {
  it("retries while the transcoder is down, leaving the track processing", async () => {
    const { user, track } = await processingTrack();
    const message = transcodeMessage(track.id, `tracks/${track.id}/original`, user.id);
    const first = await deliver(message, 1);
    const third = await deliver(message, 3);
    expect(first.explicitAcks).toEqual([]);
    expect(first.retryMessages).toHaveLength(1);
    expect(third.retryMessages).toHaveLength(1);
    expect((await getTrackRow(getDb(env.DB), track.id))?.status).toBe("processing");
  });

  it("marks the track failed with the reason on the last attempt and hands the message to the dead-letter queue", async () => {
    const { user, track } = await processingTrack();
    const result = await deliver(transcodeMessage(track.id, `tracks/${track.id}/original`, user.id), 5);
    expect(result.explicitAcks).toEqual([]);
    expect(result.retryMessages).toHaveLength(1);
    const row = await getTrackRow(getDb(env.DB), track.id);
    expect(row?.status).toBe("failed");
    expect(row?.failureReason).toMatch(/after 5 attempts.*could not be reached/);
  });

  it("acks a duplicate delivery for a track that is no longer processing, without touching it", async () => {
    const { user, track } = await processingTrack();
    await env.DB.prepare("UPDATE tracks SET status = 'ready' WHERE id = ?").bind(track.id).run();
    const result = await deliver(transcodeMessage(track.id, `tracks/${track.id}/original`, user.id), 1);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect((await getTrackRow(getDb(env.DB), track.id))?.status).toBe("ready");
  });

  it("settles each message of a batch on its own: one acked, one retried", async () => {
    const done = await processingTrack();
    await env.DB.prepare("UPDATE tracks SET status = 'ready' WHERE id = ?").bind(done.track.id).run();
    const pending = await processingTrack();
    const messages = [done, pending].map(({ user, track }, i) => ({
      id: `m-${i}-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body: transcodeMessage(track.id, `tracks/${track.id}/original`, user.id),
    }));
    const batch = createMessageBatch("transcode", messages);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([messages[0]?.id]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([messages[1]?.id]);
  });

  it("fails a track at once when its original's type is unknown (the transcoder never guesses one)", async () => {
    const user = await registerUser();
    const track = await createTrackDraft(getDb(env.DB), { ownerId: user.id, title: "Typeless", status: "processing" });
    const result = await deliver(transcodeMessage(track.id, `tracks/${track.id}/original`, user.id), 1);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await getTrackRow(getDb(env.DB), track.id)).toMatchObject({ status: "failed" });
  });

  it("signs jobs exactly as the transcoder verifies them (transcoder/job-auth.ts signJob, same inputs)", async () => {
    const signature = await signTranscodeJob(
      "vector-secret-0123456789abcdef0123456789",
      '{"jobId":"j"}',
      1_700_000_000,
      "nonce-0123456789abcd",
    );
    expect(signature).toBe("1700000000.nonce-0123456789abcd.FtEMqk4SccUA6zgzsSE4tY9dndOoEyINru7E3byDL6Y");
  });

  it("backs off exponentially from the configured base, capped at 15 minutes", () => {
    const delays = [1, 2, 3, 4, 5].map((attempt) => backoffSeconds({ TRANSCODE_RETRY_BASE_SECONDS: "10" }, attempt));
    expect(delays).toEqual([10, 20, 40, 80, 160]);
    expect(backoffSeconds({ TRANSCODE_RETRY_BASE_SECONDS: "10" }, 20)).toBe(900);
    expect(backoffSeconds({}, 1)).toBe(10);
  });

  it("acks a malformed message or one for a deleted track instead of retrying it forever", async () => {
    const malformed = await deliver({ hello: "world" }, 1);
    expect(malformed.explicitAcks).toHaveLength(1);
    const gone = await deliver(transcodeMessage("no-such-track", "tracks/no-such-track/original", "nobody"), 1);
    expect(gone.explicitAcks).toHaveLength(1);
  });
});
