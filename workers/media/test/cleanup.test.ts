import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../index.ts";
import { call, registerUser } from "../../test/http.ts";
import { ABANDONED_AFTER_MS } from "../cleanup.ts";
import { putPart, startUpload, wavBytes } from "./fixtures.ts";

async function runCron(scheduledTime: number, cron = "17 * * * *") {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron }), env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("abandoned upload cleanup (hourly cron)", () => {
  it("aborts uploads idle for 24 h and deletes their tracks, keeping recent and completed ones", async () => {
    const user = await registerUser();
    const bytes = wavBytes(6000);
    const abandoned = await startUpload(user, bytes);
    expect((await putPart(user, abandoned.uploadId, 1, bytes)).status).toBe(200);
    const active = await startUpload(user, bytes);
    const row = await env.DB.prepare("SELECT r2_upload_id, object_key FROM uploads WHERE id = ?")
      .bind(abandoned.uploadId)
      .first<{ r2_upload_id: string; object_key: string }>();

    // The clock moves: 24 h and a minute after the abandoned upload's last activity.
    const later = Date.now() + ABANDONED_AFTER_MS + 60_000;
    await env.DB.prepare("UPDATE uploads SET updated_at = ? WHERE id = ?")
      .bind(later - ABANDONED_AFTER_MS - 60_000, abandoned.uploadId)
      .run();
    await env.DB.prepare("UPDATE uploads SET updated_at = ? WHERE id = ?")
      .bind(later - 1000, active.uploadId)
      .run();
    await runCron(later);

    const track = await env.DB.prepare("SELECT id FROM tracks WHERE id = ?").bind(abandoned.trackId).first();
    expect(track).toBeNull();
    expect((await call("GET", `/api/v1/uploads/${abandoned.uploadId}`, { token: user.token })).status).toBe(404);
    // The R2 multipart upload is gone: it takes no more parts.
    const multipart = env.MEDIA.resumeMultipartUpload(row!.object_key, row!.r2_upload_id);
    await expect(multipart.uploadPart(2, bytes)).rejects.toThrow();
    expect(await env.MEDIA.head(row!.object_key)).toBeNull();

    const kept = await call("GET", `/api/v1/uploads/${active.uploadId}`, { token: user.token });
    expect(kept.status).toBe(200);
  });

  it("runs only for its own cron expression: another trigger leaves the uploads alone", async () => {
    const user = await registerUser();
    const bytes = wavBytes(6000);
    const idle = await startUpload(user, bytes);
    const later = Date.now() + ABANDONED_AFTER_MS + 60_000;
    await env.DB.prepare("UPDATE uploads SET updated_at = ? WHERE id = ?")
      .bind(later - ABANDONED_AFTER_MS - 60_000, idle.uploadId)
      .run();
    await runCron(later, "0 3 * * *");
    expect((await call("GET", `/api/v1/uploads/${idle.uploadId}`, { token: user.token })).status).toBe(200);
    await runCron(later);
    expect((await call("GET", `/api/v1/uploads/${idle.uploadId}`, { token: user.token })).status).toBe(404);
  });
});
