import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, json, registerUser } from "../../test/http.ts";
import { createTrack, makeAdmin } from "./fixtures.ts";

describe("admin", () => {
  it("disables a user: their access token and refresh cookie stop working at once", async () => {
    const admin = await makeAdmin(await registerUser());
    const target = await registerUser();
    expect((await call("GET", "/api/v1/me", { token: target.token })).status).toBe(200);
    const response = await call("POST", `/api/v1/admin/users/${target.username}/disable`, {
      token: admin.token,
      body: { reason: "spam" },
    });
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ id: target.id, username: target.username, status: "disabled" });
    expect((await call("GET", "/api/v1/me", { token: target.token })).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: target.cookie })).status).toBe(401);
    expect((await call("GET", `/api/v1/users/${target.username}`)).status).toBe(404);

    const enabled = await call("POST", `/api/v1/admin/users/${target.username}/enable`, {
      token: admin.token,
      body: { reason: "appeal" },
    });
    expect((await json(enabled)).status).toBe("active");
    expect((await call("GET", `/api/v1/users/${target.username}`)).status).toBe(200);
  });

  it("removes a track and a comment, and records every action in the audit log", async () => {
    const admin = await makeAdmin(await registerUser());
    const owner = await registerUser();
    const track = await createTrack(owner, { title: "Offending" });
    const other = await createTrack(owner);
    const comment = await json(
      await call("POST", `/api/v1/tracks/${other.id}/comments`, { token: owner.token, body: { body: "rude" } }),
    );
    expect(
      (await call("DELETE", `/api/v1/admin/tracks/${track.id}?reason=copyright`, { token: admin.token })).status,
    ).toBe(204);
    expect((await call("GET", `/api/v1/tracks/${track.id}`, { token: owner.token })).status).toBe(404);
    const removeComment = `/api/v1/admin/comments/${comment.id}?reason=abuse`;
    expect((await call("DELETE", removeComment, { token: admin.token })).status).toBe(204);
    expect((await json(await call("GET", `/api/v1/tracks/${other.id}`))).commentCount).toBe(0);
    expect((await call("DELETE", removeComment, { token: admin.token })).status).toBe(404);

    const log = await json(await call("GET", "/api/v1/admin/audit?limit=100", { token: admin.token }));
    const mine = log.items.filter((e: any) => e.actor.id === admin.id);
    expect(mine.map((e: any) => [e.action, e.targetId])).toEqual([
      ["comment.remove", comment.id],
      ["track.remove", track.id],
    ]);
    expect(mine[1]).toMatchObject({ reason: "copyright", targetType: "track", details: { title: "Offending" } });
  });

  it("refuses non-admins (403), no token (401), and an admin disabling themself (400)", async () => {
    const admin = await makeAdmin(await registerUser());
    const user = await registerUser();
    const track = await createTrack(user);
    const forbidden = await call("POST", `/api/v1/admin/users/${admin.username}/disable`, {
      token: user.token,
      body: {},
    });
    expect(forbidden.status).toBe(403);
    expectErrorEnvelope(await json(forbidden), "forbidden");
    expect((await call("DELETE", `/api/v1/admin/tracks/${track.id}`, { token: user.token })).status).toBe(403);
    expect((await call("GET", "/api/v1/admin/audit", { token: user.token })).status).toBe(403);
    expect((await call("GET", "/api/v1/admin/audit")).status).toBe(401);
    const self = await call("POST", `/api/v1/admin/users/${admin.username}/disable`, {
      token: admin.token,
      body: { reason: "testing" },
    });
    expect(self.status).toBe(400);
    expectErrorEnvelope(await json(self), "cannot_disable_self");
    expect((await call("DELETE", "/api/v1/admin/tracks/no-such-track?reason=x", { token: admin.token })).status).toBe(
      404,
    );
  });
});
