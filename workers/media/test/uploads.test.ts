import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { TranscodeMessage } from "../transcode-message.ts";
import {
  id3HiddenPlaylist,
  partOf,
  putPart,
  sha256HexOf,
  startUpload,
  uploadTrack,
  wavBytes,
  zipBytes,
} from "./fixtures.ts";

const MiB = 1024 * 1024;

async function trackRow(id: string) {
  return env.DB.prepare("SELECT status FROM tracks WHERE id = ?").bind(id).first<{ status: string }>();
}

afterEach(() => vi.restoreAllMocks());

describe("resumable uploads", () => {
  it("uploads in parts with a retried part and a resume, then completes into processing", async () => {
    const user = await registerUser();
    const bytes = wavBytes(2 * 8 * MiB + 12_345);
    const created = await startUpload(user, bytes, "three parts.wav", "Three Parts");
    expect(created).toMatchObject({ partSize: 8 * MiB, partCount: 3, size: bytes.byteLength });

    expect((await putPart(user, created.uploadId, 1, partOf(created, bytes, 1))).status).toBe(200);
    // A corrupt copy of part 2 (wrong bytes), then the retry that replaces it.
    const corrupt = wavBytes(8 * MiB, 99).subarray(0, 8 * MiB);
    const firstTry = await json(await putPart(user, created.uploadId, 2, corrupt));
    const retry = await putPart(user, created.uploadId, 2, partOf(created, bytes, 2));
    expect(retry.status).toBe(200);
    const retried = await json(retry);
    expect(retried).toMatchObject({ part: 2, size: 8 * MiB });
    expect(retried.etag).not.toBe(firstTry.etag);

    // The client lost its state: the resume route says what is left to send.
    const state = await json(await call("GET", `/api/v1/uploads/${created.uploadId}`, { token: user.token }));
    expect(state).toMatchObject({ uploadId: created.uploadId, trackId: created.trackId, status: "uploading" });
    expect(state.mimeType).toBe("audio/wav");
    expect(state.parts.map((p: { part: number }) => p.part)).toEqual([1, 2]);
    expect(state.parts[1].etag).toBe(retried.etag);

    expect((await putPart(user, created.uploadId, 3, partOf(created, bytes, 3))).status).toBe(200);
    const spy = vi.spyOn(env.TRANSCODE_QUEUE, "send");
    const done = await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token });
    expect(done.status).toBe(202);
    const { track } = await json(done);
    expect(track).toMatchObject({ id: created.trackId, status: "processing", title: "Three Parts" });

    const stored = await env.MEDIA.get(`tracks/${created.trackId}/original`);
    const storedBytes = new Uint8Array(await stored!.arrayBuffer());
    expect(storedBytes.byteLength).toBe(bytes.byteLength);
    expect(await sha256HexOf(storedBytes)).toBe(await sha256HexOf(bytes));

    const record = await env.DB.prepare("SELECT size, mime_type, sha256, status FROM uploads WHERE id = ?")
      .bind(created.uploadId)
      .first();
    expect(record).toEqual({
      size: bytes.byteLength,
      mime_type: "audio/wav",
      sha256: await sha256HexOf(bytes),
      status: "completed",
    });

    expect(spy).toHaveBeenCalledTimes(1);
    const message = TranscodeMessage.parse(spy.mock.calls[0]![0]);
    expect(message).toMatchObject({ type: "transcode", trackId: created.trackId, uploadedBy: user.id });
    expect(message.originalKey).toBe(`tracks/${created.trackId}/original`);
    const me = await json(await call("GET", "/api/v1/me", { token: user.token }));
    expect(me.role).toBe("artist");
  });

  it("treats a repeated complete as done and returns the same track", async () => {
    const user = await registerUser();
    const { created } = await uploadTrack(user, wavBytes(10_000));
    const again = await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token });
    expect(again.status).toBe(202);
    expect((await json(again)).track).toMatchObject({ id: created.trackId, status: "processing" });
    const late = await putPart(user, created.uploadId, 1, wavBytes(10_000));
    expect(late.status).toBe(409);
    expectErrorEnvelope(await json(late), "upload_completed");
  });

  it("rejects a non-audio file renamed .mp3 with 415 when part 1 arrives, and discards it", async () => {
    const user = await registerUser();
    const bytes = zipBytes(3000);
    const response = await call("POST", "/api/v1/uploads", {
      token: user.token,
      body: { filename: "totally-a-song.mp3", size: bytes.byteLength, contentType: "audio/mpeg" },
    });
    const created = await json(response);
    const part = await putPart(user, created.uploadId, 1, bytes);
    expect(part.status).toBe(415);
    expectErrorEnvelope(await json(part), "unsupported_media_type");
    expect(await trackRow(created.trackId)).toBeNull();
    const gone = await call("GET", `/api/v1/uploads/${created.uploadId}`, { token: user.token });
    expect(gone.status).toBe(404);
    expect(await env.MEDIA.head(`tracks/${created.trackId}/original`)).toBeNull();
  });

  it("refuses an ID3 tag hiding an HLS playlist (security review #1) with 415 at part 1", async () => {
    const user = await registerUser();
    const bytes = id3HiddenPlaylist();
    const created = await startUpload(user, bytes, "innocent.mp3");
    const part = await putPart(user, created.uploadId, 1, bytes);
    expect(part.status).toBe(415);
    expectErrorEnvelope(await json(part), "unsupported_media_type");
    expect(await trackRow(created.trackId)).toBeNull();
  });

  it("reads past an ID3 tag that fills part 1 and refuses what follows it at complete", async () => {
    const user = await registerUser();
    const bytes = id3HiddenPlaylist(9 * MiB);
    const created = await startUpload(user, bytes, "long-tag.mp3");
    expect(created.partCount).toBe(2);
    for (const n of [1, 2])
      expect((await putPart(user, created.uploadId, n, partOf(created, bytes, n))).status).toBe(200);
    const done = await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token });
    expect(done.status).toBe(415);
    expectErrorEnvelope(await json(done), "unsupported_media_type");
    expect(await trackRow(created.trackId)).toBeNull();
    expect(await env.MEDIA.head(`tracks/${created.trackId}/original`)).toBeNull();
  });

  it("refuses a declared size over the limit with 413 and accepts one at the limit", async () => {
    const user = await registerUser();
    const limit = Number(env.MAX_UPLOAD_BYTES);
    const over = await call("POST", "/api/v1/uploads", {
      token: user.token,
      body: { filename: "huge.wav", size: limit + 1, contentType: "audio/wav" },
    });
    expect(over.status).toBe(413);
    expectErrorEnvelope(await json(over), "file_too_large");

    const atLimit = await call("POST", "/api/v1/uploads", {
      token: user.token,
      body: { filename: "big.wav", size: limit, contentType: "audio/wav" },
    });
    expect(atLimit.status).toBe(201);
    const created = await json(atLimit);
    expect(created.partSize).toBeGreaterThanOrEqual(5 * MiB);
    expect(created.partCount).toBeLessThanOrEqual(10_000);
    expect((await call("DELETE", `/api/v1/uploads/${created.uploadId}`, { token: user.token })).status).toBe(204);
    expect(await trackRow(created.trackId)).toBeNull();
  });

  it("enforces exact part sizes and part numbers", async () => {
    const user = await registerUser();
    const bytes = wavBytes(8 * MiB + 100);
    const created = await startUpload(user, bytes);
    const short = await putPart(user, created.uploadId, 1, bytes.subarray(0, 5 * MiB));
    expect(short.status).toBe(400);
    expectErrorEnvelope(await json(short), "invalid_part_size");
    const longLast = await putPart(user, created.uploadId, 2, wavBytes(101));
    expect(longLast.status).toBe(400);
    const beyond = await putPart(user, created.uploadId, 3, wavBytes(100));
    expect(beyond.status).toBe(400);
    expectErrorEnvelope(await json(beyond), "invalid_part_number");
    const notANumber = await call("PUT", `/api/v1/uploads/${created.uploadId}/parts/two`, {
      token: user.token,
      rawBody: new Uint8Array(10),
    });
    expect(notANumber.status).toBe(400);
  });

  it("refuses to complete while parts are missing", async () => {
    const user = await registerUser();
    const bytes = wavBytes(8 * MiB + 100);
    const created = await startUpload(user, bytes);
    expect((await putPart(user, created.uploadId, 2, partOf(created, bytes, 2))).status).toBe(200);
    const early = await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token });
    expect(early.status).toBe(400);
    const body = await json(early);
    expectErrorEnvelope(body, "incomplete_upload");
    expect(body.error.details).toMatchObject({ missing: [1], received: 100, size: bytes.byteLength });
    expect((await trackRow(created.trackId))?.status).toBe("uploading");
  });

  it("answers 409 when storage holds other bytes for a part than recorded, and completes once it is re-sent", async () => {
    const user = await registerUser();
    const bytes = wavBytes(8 * MiB + 100);
    const created = await startUpload(user, bytes);
    for (const n of [1, 2])
      expect((await putPart(user, created.uploadId, n, partOf(created, bytes, n))).status).toBe(200);
    // Two copies of part 2 raced: the row kept the etag of the copy R2 no longer has.
    await env.DB.prepare("UPDATE upload_parts SET etag = 'stale-etag' WHERE upload_id = ? AND part = 2")
      .bind(created.uploadId)
      .run();
    const refused = await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token });
    expect(refused.status).toBe(409);
    expectErrorEnvelope(await json(refused), "parts_mismatch");
    expect((await putPart(user, created.uploadId, 2, partOf(created, bytes, 2))).status).toBe(200);
    expect((await call("POST", `/api/v1/uploads/${created.uploadId}/complete`, { token: user.token })).status).toBe(
      202,
    );
  });

  it("lets only the uploader touch an upload", async () => {
    const owner = await registerUser();
    const stranger = await registerUser();
    const bytes = wavBytes(1000);
    const created = await startUpload(owner, bytes);
    for (const [method, path] of [
      ["GET", `/api/v1/uploads/${created.uploadId}`],
      ["POST", `/api/v1/uploads/${created.uploadId}/complete`],
      ["DELETE", `/api/v1/uploads/${created.uploadId}`],
    ] as const) {
      const response = await call(method, path, { token: stranger.token });
      expect(response.status).toBe(404);
    }
    expect((await putPart(stranger, created.uploadId, 1, bytes)).status).toBe(404);
    expect(
      (await call("POST", "/api/v1/uploads", { body: { filename: "a.wav", size: 1, contentType: "" } })).status,
    ).toBe(401);
    expect((await putPart(owner, created.uploadId, 1, bytes)).status).toBe(200);
  });

  it("aborts an upload: the track, the parts and the R2 upload are gone", async () => {
    const user = await registerUser();
    const bytes = wavBytes(5000);
    const created = await startUpload(user, bytes);
    expect((await putPart(user, created.uploadId, 1, bytes)).status).toBe(200);
    expect((await call("DELETE", `/api/v1/uploads/${created.uploadId}`, { token: user.token })).status).toBe(204);
    expect(await trackRow(created.trackId)).toBeNull();
    const parts = await env.DB.prepare("SELECT count(*) AS n FROM upload_parts WHERE upload_id = ?")
      .bind(created.uploadId)
      .first<{ n: number }>();
    expect(parts?.n).toBe(0);
    expect((await call("GET", `/api/v1/uploads/${created.uploadId}`, { token: user.token })).status).toBe(404);
  });
});

describe("storage quota", () => {
  /** Records a completed upload of `size` bytes for the user (a real track row; no bytes in R2 needed). */
  async function storedOriginal(userId: string, size: number, status = "completed") {
    const trackId = `quota${crypto.randomUUID().replaceAll("-", "")}`;
    const now = Date.now();
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO tracks (id, owner_id, title, artist, status, created_at, updated_at) VALUES (?1, ?2, 'Big', 'A', 'ready', ?3, ?3)",
      ).bind(trackId, userId, now),
      env.DB.prepare(
        `INSERT INTO uploads (id, track_id, user_id, r2_upload_id, object_key, filename, declared_type, size, part_size,
           status, mime_type, created_at, updated_at)
         VALUES (?1, ?1, ?2, 'r2', 'k', 'big.wav', 'audio/wav', ?3, ?3, ?4, 'audio/wav', ?5, ?5)`,
      ).bind(trackId, userId, size, status, now),
    ]);
  }

  it("counts what a user stores and refuses an upload past the quota with 413 quota_exceeded", async () => {
    const user = await registerUser();
    const quota = Number(env.STORAGE_QUOTA_BYTES);
    const empty = await json(await call("GET", "/api/v1/me/storage", { token: user.token }));
    expect(empty).toEqual({ usedBytes: 0, quotaBytes: quota });

    await storedOriginal(user.id, quota - 10_000);
    await storedOriginal(user.id, 5 * quota, "purged"); // a purged original takes no space any more
    const fits = await startUpload(user, wavBytes(6000));
    const usage = await json(await call("GET", "/api/v1/me/storage", { token: user.token }));
    expect(usage).toEqual({ usedBytes: quota - 10_000 + 6000, quotaBytes: quota });

    const over = await call("POST", "/api/v1/uploads", {
      token: user.token,
      body: { filename: "one-too-many.wav", size: 5000, contentType: "audio/wav" },
    });
    expect(over.status).toBe(413);
    const body = await json(over);
    expectErrorEnvelope(body, "quota_exceeded");
    expect(body.error.details).toMatchObject({ used: quota - 4000, quota });

    // Aborting the upload in progress gives its room back.
    expect((await call("DELETE", `/api/v1/uploads/${fits.uploadId}`, { token: user.token })).status).toBe(204);
    expect((await startUpload(user, wavBytes(5000))).size).toBe(5000);
  });

  it("is per user: someone else's files do not count", async () => {
    const [full, other] = [await registerUser(), await registerUser()];
    await storedOriginal(full.id, Number(env.STORAGE_QUOTA_BYTES));
    expect((await startUpload(other, wavBytes(5000))).size).toBe(5000);
    expect((await call("GET", "/api/v1/me/storage")).status).toBe(401);
  });
});
