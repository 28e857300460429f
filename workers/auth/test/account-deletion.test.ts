import {
  createExecutionContext,
  createScheduledController,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTrack } from "../../catalog/test/fixtures.ts";
import type { ChatRoom } from "../../chat/chat-room.ts";
import { roomStub } from "../../chat/room-stub.ts";
import { connect } from "../../chat/test/fixtures.ts";
import { outboxFor } from "../../email/outbox.ts";
import { mailDate } from "../../email/templates/account-deletion.ts";
import worker from "../../index.ts";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";
import { runDueDeletions } from "../account-data/deletion-task.ts";
import { DELETED_USER_ID } from "../deleted-user.ts";
import {
  albumWithCover,
  chat,
  comment,
  createRoom,
  DAY,
  follow,
  like,
  ok,
  openDm,
  play,
  playlistWith,
  trackWithMedia,
} from "./account-data-fixtures.ts";

afterEach(() => vi.restoreAllMocks());

async function runHourlyCron(scheduledTime: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime, cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

function requestDeletion(user: TestUser, password = user.password) {
  return call("DELETE", "/api/v1/me", { token: user.token, body: { password } });
}

function login(user: TestUser, password = user.password) {
  return call("POST", "/api/v1/auth/login", { body: { login: user.username, password } });
}

const outboxOf = (user: TestUser) => outboxFor(env.DB, user.email);
const keysUnder = async (prefix: string) => (await env.MEDIA.list({ prefix })).objects.map((o) => o.key);
const scalar = async (sql: string, ...binds: unknown[]) => {
  const row = await env.DB.prepare(sql)
    .bind(...binds)
    .first<{ v: unknown }>();
  return row?.v;
};
const userExists = async (id: string) => (await scalar("SELECT COUNT(*) AS v FROM users WHERE id = ?1", id)) === 1;

describe("DELETE /api/v1/me: scheduling", () => {
  it("refuses a wrong password with 403 and schedules nothing; repeated guesses meet the login backoff", async () => {
    const user = await registerUser();
    const wrong = await requestDeletion(user, "not my password at all");
    expect(wrong.status).toBe(403);
    expectErrorEnvelope(await json(wrong), "invalid_credentials");
    expect(await scalar("SELECT COUNT(*) AS v FROM account_deletions WHERE user_id = ?1", user.id)).toBe(0);
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200);

    let status = 403;
    for (let i = 0; i < 8 && status === 403; i++) status = (await requestDeletion(user, `guess ${i}`)).status;
    expect(status).toBe(429);
    // The same counter as signing in: the right password is held back too until the delay passes.
    expect((await login(user)).status).toBe(429);
  });

  it("refuses the last active admin with 409 (someone must be able to run the server)", async () => {
    await env.DB.prepare("UPDATE users SET role = 'listener' WHERE role = 'admin'").run();
    const admin = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?1").bind(admin.id).run();
    const refused = await requestDeletion(admin);
    expect(refused.status).toBe(409);
    expectErrorEnvelope(await json(refused), "last_admin");
    const second = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?1").bind(second.id).run();
    expect((await requestDeletion(admin)).status).toBe(202);
  });

  it("refuses a missing password with 400 and no token with 401", async () => {
    const user = await registerUser();
    const missing = await call("DELETE", "/api/v1/me", { token: user.token, body: {} });
    expect(missing.status).toBe(400);
    expectErrorEnvelope(await json(missing));
    expect((await call("DELETE", "/api/v1/me", { body: { password: "x" } })).status).toBe(401);
  });

  it("schedules the deletion 7 days out and signs the account out everywhere", async () => {
    const user = await registerUser();
    const before = Date.now();
    const response = await requestDeletion(user);
    expect(response.status).toBe(202);
    const body = await json(response);
    expect(body.gracePeriodDays).toBe(7);
    const due = Date.parse(body.deletionScheduledFor);
    expect(due).toBeGreaterThanOrEqual(before + 7 * DAY);
    expect(due).toBeLessThanOrEqual(Date.now() + 7 * DAY);

    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: user.cookie })).status).toBe(401);
    // Still there during the grace period: nothing is erased before it ends.
    await runHourlyCron(Date.now() + 6 * DAY);
    expect(await userExists(user.id)).toBe(true);
  });

  it("stops outside apps too: app passwords and API keys are refused until the owner cancels", async () => {
    const user = await registerUser();
    const app = await ok(
      await call("POST", "/api/v1/me/app-passwords", { token: user.token, body: { name: "p" } }),
      201,
    );
    const key = await ok(await call("POST", "/api/v1/me/api-keys", { token: user.token, body: { name: "k" } }), 201);
    const ping = async (query: string) =>
      (await json(await call("GET", `/rest/ping.view?f=json&v=1.16.1&c=test&${query}`)))["subsonic-response"];
    const byPassword = `u=${user.username}&p=${encodeURIComponent(app.password)}`;
    const byKey = `apiKey=${encodeURIComponent(key.key)}`;
    expect((await ping(byPassword)).status).toBe("ok");
    expect((await ping(byKey)).status).toBe("ok");

    await requestDeletion(user);
    expect((await ping(byPassword)).status).toBe("failed");
    expect((await ping(byKey)).status).toBe("failed");

    await login(user);
    expect((await ping(byPassword)).status).toBe("ok");
    expect((await ping(byKey)).status).toBe("ok");
  });

  it("is cancelled by signing in during the grace period, which the login response and a mail say", async () => {
    const user = await registerUser({ displayName: "Mail Reader" });
    const scheduled = await json(await requestDeletion(user));
    const scheduledMail = await vi.waitFor(async () => {
      const mail = (await outboxOf(user)).find((m) => m.subject === "Your Veza account will be deleted");
      if (!mail) throw new Error("no mail yet");
      return mail;
    });
    expect(scheduledMail.text).toContain("Hi Mail Reader,");
    expect(scheduledMail.text).toContain(mailDate(Date.parse(scheduled.deletionScheduledFor)));
    expect(scheduledMail.text).toMatch(/\/login/);
    expect(scheduledMail.html).toContain("Sign in to keep my account");

    const response = await login(user);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(body.deletionCancelled).toEqual({ wasScheduledFor: scheduled.deletionScheduledFor });
    const cancelledMail = await vi.waitFor(async () => {
      const mail = (await outboxOf(user)).find((m) => m.subject === "Your Veza account will not be deleted");
      if (!mail) throw new Error("no mail yet");
      return mail;
    });
    expect(cancelledMail.text).toContain(mailDate(Date.parse(scheduled.deletionScheduledFor)));
    expect((await call("GET", "/api/v1/me", { token: body.accessToken })).status).toBe(200);

    await runHourlyCron(Date.now() + 8 * DAY);
    expect(await userExists(user.id)).toBe(true);
    // A later sign-in has nothing to cancel.
    expect((await json(await login(user))).deletionCancelled).toBeUndefined();
  });

  it("once the grace period is over, signing in no longer cancels (the account is being erased)", async () => {
    const user = await registerUser();
    await requestDeletion(user);
    await env.DB.prepare("UPDATE account_deletions SET due_at = ?1 WHERE user_id = ?2")
      .bind(Date.now() - 1000, user.id)
      .run();
    const refused = await login(user);
    expect(refused.status).toBe(401);
    expectErrorEnvelope(await json(refused), "invalid_credentials");
    expect(await scalar("SELECT COUNT(*) AS v FROM account_deletions WHERE user_id = ?1", user.id)).toBe(1);
  });
});

describe("the deletion task, after the grace period", () => {
  it("erases the account: media gone, content anonymised, counters right, others untouched, safe to rerun", async () => {
    const alice = await registerUser({ displayName: "Alice Gone" });
    const bob = await registerUser();
    const carol = await registerUser();

    const aliceTrack = await trackWithMedia(alice, "Alice's only song");
    const album = await albumWithCover(alice, [aliceTrack.id]);
    await env.MEDIA.put(`users/${alice.id}/avatar`, "avatar bytes");
    await env.DB.prepare("UPDATE users SET avatar_key = ?1 WHERE id = ?2")
      .bind(`users/${alice.id}/avatar`, alice.id)
      .run();
    const bobTrack = await trackWithMedia(bob, "Bob's song");
    const bobOther = await createTrack(bob, { title: "Bob's other song" });

    await like(alice, bobTrack.id);
    await like(carol, bobTrack.id);
    await like(carol, aliceTrack.id);
    await follow(alice, bob.username);
    await follow(carol, alice.username);
    await follow(carol, bob.username);
    await comment(alice, bobTrack.id, "alice says this is great");
    await comment(bob, bobTrack.id, "bob's own comment");
    await comment(carol, aliceTrack.id, "carol on alice's track");
    await playlistWith(alice, "Alice's list", [bobTrack.id]);
    const bobList = await playlistWith(bob, "Bob's list", [bobTrack.id, aliceTrack.id, bobOther.id]);
    await play(alice, bobTrack.id);

    const bobsRoom = await createRoom(bob, "public", "Bob's room");
    await chat(alice, bobsRoom.id, "alice in bob's room");
    await chat(bob, bobsRoom.id, "bob in bob's room");
    const alicesRoom = await createRoom(alice, "public", "Alice's room");
    await chat(alice, alicesRoom.id, "alice in her own room");
    await chat(bob, alicesRoom.id, "bob visiting");
    const lonelyRoom = await createRoom(alice, "private", "Nobody else here");
    const dm = await openDm(alice, bob.username);
    await chat(alice, dm, "a secret for bob");
    await ok(await call("POST", "/api/v1/me/app-passwords", { token: alice.token, body: { name: "phone" } }), 201);

    expect((await requestDeletion(alice)).status).toBe(202);
    await runHourlyCron(Date.now() + 7 * DAY + 60_000);

    // The account and everything it owned are gone; the name is free again.
    expect(await userExists(alice.id)).toBe(false);
    expect((await login(alice)).status).toBe(401);
    expect(await scalar("SELECT COUNT(*) AS v FROM tracks WHERE owner_id = ?1", alice.id)).toBe(0);
    expect(await scalar("SELECT COUNT(*) AS v FROM playlists WHERE owner_id = ?1", alice.id)).toBe(0);
    expect(await scalar("SELECT COUNT(*) AS v FROM app_passwords WHERE user_id = ?1", alice.id)).toBe(0);
    expect(await scalar("SELECT COUNT(*) AS v FROM refresh_tokens WHERE user_id = ?1", alice.id)).toBe(0);
    expect(await scalar("SELECT COUNT(*) AS v FROM plays WHERE user_id = ?1", alice.id)).toBe(0);
    expect(await scalar("SELECT COUNT(*) AS v FROM plays WHERE track_id = ?1", bobTrack.id)).toBe(1);
    expect(await keysUnder(`tracks/${aliceTrack.id}/`)).toEqual([]);
    expect(await keysUnder(`albums/${album}/`)).toEqual([]);
    expect(await keysUnder(`users/${alice.id}/`)).toEqual([]);
    const again = await registerUser({ username: alice.username, email: alice.email });
    expect(again.id).not.toBe(alice.id);

    // Counters: Bob's track lost Alice's like only; follows are right on both sides.
    const bobTrackRow = await env.DB.prepare("SELECT like_count, comment_count FROM tracks WHERE id = ?1")
      .bind(bobTrack.id)
      .first<{ like_count: number; comment_count: number }>();
    expect(bobTrackRow).toEqual({ like_count: 1, comment_count: 2 });
    const stats = async (u: TestUser) =>
      env.DB.prepare("SELECT follower_count, following_count FROM user_stats WHERE user_id = ?1").bind(u.id).first();
    expect(await stats(bob)).toEqual({ follower_count: 1, following_count: 0 });
    expect(await stats(carol)).toEqual({ follower_count: 0, following_count: 1 });

    // Alice's comment stays, by the deleted user; Bob's is untouched.
    const comments = (await json(await call("GET", `/api/v1/tracks/${bobTrack.id}/comments`))).items;
    expect(comments).toHaveLength(2);
    const anonymous = comments.find((c: { body: string }) => c.body === "alice says this is great");
    expect(anonymous.author).toMatchObject({ id: DELETED_USER_ID, displayName: "deleted user", avatarUrl: null });
    expect(comments.find((c: { body: string }) => c.body === "bob's own comment").author.id).toBe(bob.id);

    // Bob's playlist closed the gap Alice's track left.
    const entries = (await json(await call("GET", `/api/v1/playlists/${bobList.id}/tracks`, { token: bob.token })))
      .items;
    expect(entries.map((e: { position: number; track: { id: string } }) => [e.position, e.track.id])).toEqual([
      [0, bobTrack.id],
      [1, bobOther.id],
    ]);
    // Bob's media is all there.
    expect(await keysUnder(`tracks/${bobTrack.id}/`)).toHaveLength(4);

    // Chat: messages anonymised in every room, Alice's room now Bob's, the DM kept for Bob, the empty room gone.
    const inBobsRoom = await connect(bob, bobsRoom.id);
    const seen = inBobsRoom.messages();
    expect(seen.find((m) => m.body === "alice in bob's room")).toMatchObject({
      userId: DELETED_USER_ID,
      username: "deleted-user",
      displayName: "deleted user",
    });
    expect(seen.find((m) => m.body === "bob in bob's room")?.userId).toBe(bob.id);
    inBobsRoom.close();
    const room = await json(await call("GET", `/api/v1/rooms/${alicesRoom.id}`, { token: bob.token }));
    expect(room.owner?.id ?? room.ownerId).toBe(bob.id);
    const inAlicesRoom = await connect(bob, alicesRoom.id);
    expect(inAlicesRoom.messages().find((m) => m.body === "alice in her own room")?.userId).toBe(DELETED_USER_ID);
    inAlicesRoom.close();
    const inDm = await connect(bob, dm);
    expect(inDm.messages().find((m) => m.body === "a secret for bob")?.userId).toBe(DELETED_USER_ID);
    inDm.close();
    expect(await scalar("SELECT COUNT(*) AS v FROM rooms WHERE id = ?1", lonelyRoom.id)).toBe(0);

    // The deleted user is nobody: no profile, no sign-in.
    expect((await call("GET", "/api/v1/users/deleted-user")).status).toBe(404);
    expect((await call("POST", "/api/v1/auth/login", { body: { login: "deleted-user", password: "!" } })).status).toBe(
      401,
    );

    // Running the task again changes nothing.
    await runHourlyCron(Date.now() + 8 * DAY);
    expect(
      await env.DB.prepare("SELECT like_count, comment_count FROM tracks WHERE id = ?1").bind(bobTrack.id).first(),
    ).toEqual({ like_count: 1, comment_count: 2 });
    expect(await stats(bob)).toEqual({ follower_count: 1, following_count: 0 });
  });

  it("resumes where it stopped after a failure, and records the failure meanwhile", async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const first = await trackWithMedia(alice, "first");
    const second = await trackWithMedia(alice, "second");
    await comment(alice, (await createTrack(bob)).id, "still here after the retry");
    await requestDeletion(alice);
    const later = Date.now() + 8 * DAY;

    const realDelete = env.MEDIA.delete.bind(env.MEDIA);
    let calls = 0;
    vi.spyOn(env.MEDIA, "delete").mockImplementation(async (keys) => {
      calls++;
      if (calls === 2) throw new Error("R2 is having a bad minute");
      return realDelete(keys as string[]);
    });
    const failed = await runDueDeletions(env, later);
    expect(failed).toEqual({ erased: 0, failed: 1 });
    const row = await env.DB.prepare(
      "SELECT attempts, last_error, started_at FROM account_deletions WHERE user_id = ?1",
    )
      .bind(alice.id)
      .first<{ attempts: number; last_error: string; started_at: number }>();
    expect(row).toMatchObject({ attempts: 1, last_error: "R2 is having a bad minute" });
    expect(row?.started_at).toBe(later);
    expect(await userExists(alice.id)).toBe(true);
    // Signing in cannot bring back a half-erased account.
    expect((await login(alice)).status).toBe(401);

    vi.restoreAllMocks();
    expect(await runDueDeletions(env, later + 3600_000)).toEqual({ erased: 1, failed: 0 });
    expect(await userExists(alice.id)).toBe(false);
    expect(await keysUnder(`tracks/${first.id}/`)).toEqual([]);
    expect(await keysUnder(`tracks/${second.id}/`)).toEqual([]);
    expect(
      await scalar(
        "SELECT COUNT(*) AS v FROM comments WHERE user_id = ?1 AND body = ?2",
        DELETED_USER_ID,
        "still here after the retry",
      ),
    ).toBe(1);
  });

  it("anonymises every message of a prolific author, a batch per call, and the export read them all before", async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const room = await createRoom(bob, "public", "Busy room");
    await chat(alice, room.id, "the first of many");
    // 2,500 more, written straight into the room's storage (sending them would take minutes).
    await runInDurableObject(roomStub(env, room.id), (_instance: ChatRoom, state) => {
      for (let i = 0; i < 2500; i++) {
        state.storage.sql.exec(
          `INSERT INTO messages (id, client_id, user_id, username, display_name, body, created_at, updated_seq)
           VALUES (?, ?, ?, ?, 'Alice', ?, ?, (SELECT COALESCE(MAX(updated_seq), 0) + 1 FROM messages))`,
          `bulk-${i}`,
          `bulk-${i}`,
          alice.id,
          alice.username,
          `bulk message ${i}`,
          Date.now(),
        );
      }
    });
    const archive = await json(await call("GET", "/api/v1/me/export", { token: alice.token }));
    expect(archive.chatRooms[0].messages).toHaveLength(2501);

    await requestDeletion(alice);
    await runDueDeletions(env, Date.now() + 8 * DAY);
    const left = await runInDurableObject(roomStub(env, room.id), (_instance: ChatRoom, state) => ({
      hers: state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages WHERE user_id = ?", alice.id).one().n,
      anonymous: state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages WHERE user_id = ?", DELETED_USER_ID).one()
        .n,
      member: state.storage.sql.exec("SELECT COUNT(*) AS n FROM members WHERE user_id = ?", alice.id).one().n,
    }));
    expect(left).toEqual({ hers: 0, anonymous: 2501, member: 0 });
  });

  it("keeps counters right when the account was disabled (the triggers alone would drift below the truth)", async () => {
    const alice = await registerUser();
    const bob = await registerUser();
    const carol = await registerUser();
    const track = await createTrack(bob);
    await like(alice, track.id);
    await like(carol, track.id);
    await comment(alice, track.id, "from a soon disabled account");
    await follow(alice, bob.username);
    await requestDeletion(alice);
    const admin = await registerUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?1").bind(admin.id).run();
    await ok(
      await call("POST", `/api/v1/admin/users/${alice.username}/disable`, {
        token: admin.token,
        body: { reason: "spam" },
      }),
    );
    const counts = () =>
      env.DB.prepare(
        "SELECT like_count, comment_count, (SELECT follower_count FROM user_stats WHERE user_id = ?2) AS followers FROM tracks WHERE id = ?1",
      )
        .bind(track.id, bob.id)
        .first();
    expect(await counts()).toEqual({ like_count: 1, comment_count: 0, followers: 0 });

    await runDueDeletions(env, Date.now() + 8 * DAY);
    expect(await userExists(alice.id)).toBe(false);
    // The like and follow are gone (no change to counts that already left them out); the comment
    // is back in the count, now by the deleted user, and shown.
    expect(await counts()).toEqual({ like_count: 1, comment_count: 1, followers: 0 });
  });
});
