import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { removeTrack } from "../../catalog/track-delete.ts";
import { createTrackDraft } from "../../catalog/tracks.ts";
import { getDb } from "../../db/client.ts";
import worker from "../../index.ts";
import { call, registerUser } from "../../test/http.ts";
import { FAILED_ORIGINAL_GRACE_MS, ORPHAN_GRACE_MS } from "../cleanup.ts";
import { transcodeMessage } from "../transcode-message.ts";
import { partOf, putPart, startUpload, uploadTrack, wavBytes } from "./fixtures.ts";

const MiB = 1024 * 1024;
const HOUR = 3600 * 1000;

async function runCron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

const keysUnder = async (prefix: string) => (await env.MEDIA.list({ prefix })).objects.map((o) => o.key).sort();

afterEach(() => vi.restoreAllMocks());

describe("deleting a track mid-upload or mid-transcode leaves nothing in R2", () => {
  it("aborts the open multipart upload: its parts stop taking space and it can no longer complete", async () => {
    const user = await registerUser();
    const bytes = wavBytes(8 * MiB + 1000);
    const created = await startUpload(user, bytes, "half.wav");
    expect((await putPart(user, created.uploadId, 1, partOf(created, bytes, 1))).status).toBe(200);
    const row = await env.DB.prepare("SELECT r2_upload_id, object_key FROM uploads WHERE id = ?")
      .bind(created.uploadId)
      .first<{ r2_upload_id: string; object_key: string }>();

    expect((await call("DELETE", `/api/v1/tracks/${created.trackId}`, { token: user.token })).status).toBe(204);

    const multipart = env.MEDIA.resumeMultipartUpload(row!.object_key, row!.r2_upload_id);
    await expect(multipart.uploadPart(2, partOf(created, bytes, 2))).rejects.toThrow();
    expect(await env.MEDIA.head(row!.object_key)).toBeNull();
  });

  it("drops the transcode of a track deleted while the transcoder was working, instead of retrying it", async () => {
    const user = await registerUser();
    const { track } = await uploadTrack(user, wavBytes(20_000), "doomed.wav");
    // The transcoder is reached; while it works, the owner deletes the track and its output PUTs are refused.
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => {
      await removeTrack(env, getDb(env.DB), track.id);
      return Response.json(
        { error: { code: "output_failed", message: "Storing low.mp4 failed (HTTP 410)." } },
        { status: 502 },
      );
    });
    const batch = createMessageBatch("transcode", [
      {
        id: "m-doomed",
        timestamp: new Date(),
        attempts: 1,
        body: transcodeMessage(track.id, `tracks/${track.id}/original`, user.id),
      },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m-doomed"]);
    expect(result.retryMessages).toEqual([]);
    expect(await keysUnder(`tracks/${track.id}/`)).toEqual([]);
  });
});

describe("the hourly sweep of orphaned track objects", () => {
  it("deletes objects no track points to once past the grace period, and keeps referenced ones", async () => {
    const user = await registerUser();
    const kept = await createTrackDraft(getDb(env.DB), { ownerId: user.id, title: "Kept", status: "ready" });
    const orphan = `orphan${crypto.randomUUID().replaceAll("-", "")}`;
    for (const key of [
      `tracks/${orphan}/original`,
      `tracks/${orphan}/renditions/low.mp4`,
      `tracks/${kept.id}/renditions/low.mp4`,
      `tracks/${kept.id}/original`,
    ]) {
      await env.MEDIA.put(key, "bytes");
    }

    // An hour later the orphan could still be a write racing a delete: kept.
    await runCron(Date.now() + HOUR);
    expect(await keysUnder(`tracks/${orphan}/`)).toHaveLength(2);

    await runCron(Date.now() + ORPHAN_GRACE_MS + HOUR);
    expect(await keysUnder(`tracks/${orphan}/`)).toEqual([]);
    expect(await keysUnder(`tracks/${kept.id}/`)).toEqual([
      `tracks/${kept.id}/original`,
      `tracks/${kept.id}/renditions/low.mp4`,
    ]);
  });
});

describe("originals of tracks that failed for good", () => {
  it("are deleted a week after the failure; recent failures and ready tracks keep theirs", async () => {
    const user = await registerUser();
    const old = (await uploadTrack(user, wavBytes(9000), "old-failure.wav")).track;
    const recent = (await uploadTrack(user, wavBytes(9000), "recent-failure.wav")).track;
    const fine = (await uploadTrack(user, wavBytes(9000), "fine.wav")).track;
    const now = Date.now();
    const settle = (id: string, status: string, at: number) =>
      env.DB.prepare("UPDATE tracks SET status = ?, updated_at = ? WHERE id = ?").bind(status, at, id).run();
    await settle(old.id, "failed", now - FAILED_ORIGINAL_GRACE_MS - HOUR);
    await settle(recent.id, "failed", now - HOUR);
    await settle(fine.id, "ready", now - FAILED_ORIGINAL_GRACE_MS - HOUR);

    await runCron(now);

    expect(await env.MEDIA.head(`tracks/${old.id}/original`)).toBeNull();
    const status = (id: string) =>
      env.DB.prepare("SELECT status FROM uploads WHERE track_id = ?").bind(id).first<{ status: string }>();
    expect(await status(old.id)).toEqual({ status: "purged" });
    expect(await env.MEDIA.head(`tracks/${recent.id}/original`)).not.toBeNull();
    expect(await env.MEDIA.head(`tracks/${fine.id}/original`)).not.toBeNull();
    // The failed track itself stays, with its reason, for its owner to see.
    const gone = await call("GET", `/api/v1/tracks/${old.id}`, { token: user.token });
    expect(gone.status).toBe(200);
  });
});
