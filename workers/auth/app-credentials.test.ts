import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../shared/crypto.ts";
import { call, expectErrorEnvelope, json, registerUser } from "../test/http.ts";

describe.each([
  { path: "/api/v1/me/app-passwords", secret: "password", table: "app_passwords", column: "sealed" },
  { path: "/api/v1/me/api-keys", secret: "key", table: "api_keys", column: "key_hash" },
])("$path", ({ path, secret, table, column }) => {
  it("creates one (secret shown once), lists it without the secret, and revokes it", async () => {
    const user = await registerUser();
    const created = await call("POST", path, { token: user.token, body: { name: "  DSub on my phone " } });
    expect(created.status).toBe(201);
    const body = await json(created);
    expect(body).toMatchObject({ id: expect.any(String), name: "DSub on my phone", lastUsedAt: null });
    expect(body[secret]).toEqual(expect.any(String));
    expect(body[secret].length).toBeGreaterThanOrEqual(20);

    const list = await json(await call("GET", path, { token: user.token }));
    expect(list.items).toEqual([
      { id: body.id, name: "DSub on my phone", createdAt: body.createdAt, lastUsedAt: null },
    ]);
    expect(list.nextCursor).toBeNull();

    const stored = await env.DB.prepare(`SELECT ${column} AS v FROM ${table} WHERE id = ?`)
      .bind(body.id)
      .first<{ v: string }>();
    expect(stored?.v).toBeTruthy();
    expect(stored?.v).not.toContain(body[secret]);
    if (secret === "key") expect(stored?.v).toBe(await sha256Hex(body.key));

    expect((await call("DELETE", `${path}/${body.id}`, { token: user.token })).status).toBe(204);
    expect((await json(await call("GET", path, { token: user.token }))).items).toEqual([]);
    const again = await call("DELETE", `${path}/${body.id}`, { token: user.token });
    expect(again.status).toBe(404);
    expectErrorEnvelope(await json(again), "not_found");
  });

  it("two creations give two different secrets", async () => {
    const user = await registerUser();
    const a = await json(await call("POST", path, { token: user.token, body: { name: "a" } }));
    const b = await json(await call("POST", path, { token: user.token, body: { name: "b" } }));
    expect(a[secret]).not.toBe(b[secret]);
    const names = (await json(await call("GET", path, { token: user.token }))).items.map((i: any) => i.name);
    expect(names.sort()).toEqual(["a", "b"]);
  });

  it("keeps each user's credentials to themselves", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const created = await json(await call("POST", path, { token: owner.token, body: { name: "mine" } }));
    expect((await json(await call("GET", path, { token: other.token }))).items).toEqual([]);
    expect((await call("DELETE", `${path}/${created.id}`, { token: other.token })).status).toBe(404);
    expect((await json(await call("GET", path, { token: owner.token }))).items).toHaveLength(1);
  });

  it("needs a signed-in user and a name", async () => {
    const anonymous = await call("POST", path, { body: { name: "x" } });
    expect(anonymous.status).toBe(401);
    expectErrorEnvelope(await json(anonymous), "unauthenticated");
    expect((await call("GET", path)).status).toBe(401);
    const user = await registerUser();
    const blank = await call("POST", path, { token: user.token, body: { name: "   " } });
    expect(blank.status).toBe(400);
    expectErrorEnvelope(await json(blank), "validation_failed");
  });
});
