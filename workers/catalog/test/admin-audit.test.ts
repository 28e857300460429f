import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser, type TestUser } from "../../test/http.ts";
import { createTrack, makeAdmin } from "./fixtures.ts";

async function auditOf(admin: TestUser, query: string) {
  const response = await call("GET", `/api/v1/admin/audit?limit=100&${query}`, { token: admin.token });
  expect(response.status).toBe(200);
  const page = await json(response);
  expect(page).toHaveProperty("nextCursor");
  return page.items as any[];
}

describe("admin actions through ordinary routes", () => {
  it("need a reason (400 without one, nothing changed) and are recorded: who, what, target, when, why", async () => {
    const admin = await makeAdmin(await registerUser());
    const owner = await registerUser();
    const track = await createTrack(owner, { title: "Owned" });
    const playlist = await json(await call("POST", "/api/v1/playlists", { token: owner.token, body: { title: "P" } }));
    const album = await json(await call("POST", "/api/v1/albums", { token: owner.token, body: { title: "A" } }));
    const comment = await json(
      await call("POST", `/api/v1/tracks/${track.id}/comments`, { token: owner.token, body: { body: "mine" } }),
    );
    const actions: [string, string, unknown, string, string][] = [
      ["PATCH", `/api/v1/tracks/${track.id}`, { title: "Renamed" }, "track.update", track.id],
      ["PATCH", `/api/v1/playlists/${playlist.id}`, { title: "Renamed" }, "playlist.update", playlist.id],
      ["POST", `/api/v1/playlists/${playlist.id}/tracks`, { trackId: track.id }, "playlist.track_add", playlist.id],
      ["PATCH", `/api/v1/albums/${album.id}`, { title: "Renamed" }, "album.update", album.id],
      ["PUT", `/api/v1/albums/${album.id}/tracks`, { trackIds: [track.id] }, "album.tracks", album.id],
      ["DELETE", `/api/v1/tracks/${track.id}/comments/${comment.id}`, undefined, "comment.delete", comment.id],
      [
        "DELETE",
        `/api/v1/playlists/${playlist.id}/tracks/${track.id}`,
        undefined,
        "playlist.track_remove",
        playlist.id,
      ],
      ["DELETE", `/api/v1/playlists/${playlist.id}`, undefined, "playlist.delete", playlist.id],
      ["DELETE", `/api/v1/albums/${album.id}`, undefined, "album.delete", album.id],
      ["DELETE", `/api/v1/tracks/${track.id}`, undefined, "track.delete", track.id],
    ];
    for (const [method, path, body, action, targetId] of actions) {
      const refused = await call(method, path, { token: admin.token, body });
      expect(refused.status, `${method} ${path} without a reason`).toBe(400);
      expectErrorEnvelope(await json(refused), "reason_required");
      const done = await call(method, `${path}?reason=${encodeURIComponent(`policy ${action}`)}`, {
        token: admin.token,
        body,
      });
      expect(done.status, `${method} ${path}`).toBeLessThan(300);
      const [entry] = await auditOf(admin, `targetId=${targetId}&action=${action}`);
      expect(entry).toMatchObject({
        actor: { id: admin.id, username: admin.username },
        action,
        targetId,
        reason: `policy ${action}`,
        details: expect.objectContaining({ ownerId: owner.id }),
      });
      expect(Date.now() - Date.parse(entry.createdAt)).toBeLessThan(60_000);
    }
    // The refused attempts changed nothing: one entry per action, and the rename happened once.
    expect(await auditOf(admin, `actorId=${admin.id}`)).toHaveLength(actions.length);
  });

  it("an admin working on their own content, or an owner on theirs, needs no reason and leaves no entry", async () => {
    const admin = await makeAdmin(await registerUser());
    const owner = await registerUser();
    const ownTrack = await createTrack(admin);
    const ownerTrack = await createTrack(owner);
    const patch = (user: TestUser, id: string) =>
      call("PATCH", `/api/v1/tracks/${id}`, { token: user.token, body: { title: "Mine" } });
    expect((await patch(admin, ownTrack.id)).status).toBe(200);
    expect((await patch(owner, ownerTrack.id)).status).toBe(200);
    expect(await auditOf(admin, `targetId=${ownTrack.id}`)).toEqual([]);
    expect(await auditOf(admin, `targetId=${ownerTrack.id}`)).toEqual([]);
  });

  it("a refused or failed action is not recorded", async () => {
    const admin = await makeAdmin(await registerUser());
    const owner = await registerUser();
    const album = await json(await call("POST", "/api/v1/albums", { token: owner.token, body: { title: "A" } }));
    const bad = await call("PUT", `/api/v1/albums/${album.id}/tracks?reason=tidy`, {
      token: admin.token,
      body: { trackIds: ["not-a-track-of-theirs"] },
    });
    expect(bad.status).toBe(400);
    expect(await auditOf(admin, `targetId=${album.id}`)).toEqual([]);
  });
});

describe("admin routes", () => {
  it("require a reason", async () => {
    const admin = await makeAdmin(await registerUser());
    const user = await registerUser();
    const track = await createTrack(user);
    for (const [method, path, body] of [
      ["POST", `/api/v1/admin/users/${user.username}/disable`, {}],
      ["POST", `/api/v1/admin/users/${user.username}/disable`, { reason: "   " }],
      ["POST", `/api/v1/admin/users/${user.username}/enable`, {}],
      ["POST", `/api/v1/admin/users/${user.username}/role`, { role: "artist" }],
      ["DELETE", `/api/v1/admin/tracks/${track.id}`, undefined],
    ] as const) {
      const response = await call(method, path, { token: admin.token, body });
      expect(response.status, `${method} ${path}`).toBe(400);
      expectErrorEnvelope(await json(response), "validation_failed");
    }
  });

  it("cannot disable another admin (demote first), never demote the last admin, and log no no-ops", async () => {
    const first = await makeAdmin(await registerUser());
    const second = await makeAdmin(await registerUser());
    const listener = await registerUser();
    // Only these two are admins, so "the last admin" is well defined in this test.
    await env.DB.prepare("UPDATE users SET role = 'listener' WHERE role = 'admin' AND id NOT IN (?1, ?2)")
      .bind(first.id, second.id)
      .run();
    const disableSecond = await call("POST", `/api/v1/admin/users/${second.username}/disable`, {
      token: first.token,
      body: { reason: "coup" },
    });
    expect(disableSecond.status).toBe(403);
    expectErrorEnvelope(await json(disableSecond), "target_is_admin");
    expect((await call("GET", "/api/v1/me", { token: second.token })).status).toBe(200);

    const demote = (actor: TestUser, target: TestUser) =>
      call("POST", `/api/v1/admin/users/${target.username}/role`, {
        token: actor.token,
        body: { role: "listener", reason: "stepping down" },
      });
    const demoted = await demote(first, second);
    expect(demoted.status).toBe(200);
    expect(await json(demoted)).toMatchObject({ role: "listener", status: "active" });
    // Now `first` is the last admin: neither they nor anyone can remove the role.
    const last = await demote(first, first);
    expect(last.status).toBe(409);
    expectErrorEnvelope(await json(last), "last_admin");
    expect((await call("GET", "/api/v1/me", { token: first.token })).status).toBe(200);
    const row = await env.DB.prepare("SELECT role FROM users WHERE id = ?1").bind(first.id).first<{ role: string }>();
    expect(row?.role).toBe("admin");

    // Disabling twice (or enabling an active account) records one entry, not two.
    for (let i = 0; i < 2; i++) {
      const r = await call("POST", `/api/v1/admin/users/${listener.username}/disable`, {
        token: first.token,
        body: { reason: "spam" },
      });
      expect(r.status).toBe(200);
    }
    await call("POST", `/api/v1/admin/users/${second.username}/enable`, {
      token: first.token,
      body: { reason: "noop" },
    });
    expect((await auditOf(first, `targetId=${listener.id}`)).map((e) => e.action)).toEqual(["user.disable"]);
    expect((await auditOf(first, `targetId=${second.id}`)).map((e) => e.action)).toEqual(["user.role"]);
  });

  it("two admins demoting each other at the same moment leave one admin", async () => {
    const a = await makeAdmin(await registerUser());
    const b = await makeAdmin(await registerUser());
    await env.DB.prepare("UPDATE users SET role = 'listener' WHERE role = 'admin' AND id NOT IN (?1, ?2)")
      .bind(a.id, b.id)
      .run();
    const results = await Promise.all([
      call("POST", `/api/v1/admin/users/${b.username}/role`, {
        token: a.token,
        body: { role: "listener", reason: "x" },
      }),
      call("POST", `/api/v1/admin/users/${a.username}/role`, {
        token: b.token,
        body: { role: "listener", reason: "x" },
      }),
    ]);
    const statuses = results.map((r) => r.status).sort();
    // Either one wins and the other is refused (409), or the loser's token is no longer an admin's (403).
    expect(statuses[0]).toBe(200);
    expect([403, 409]).toContain(statuses[1]);
    const admins = await env.DB.prepare("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND id IN (?1, ?2)")
      .bind(a.id, b.id)
      .first<{ n: number }>();
    expect(admins?.n).toBe(1);
  });
});
