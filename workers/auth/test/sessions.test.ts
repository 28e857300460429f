import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, json, refreshCookieOf, registerUser } from "../../test/http.ts";

const refresh = (cookie: string) => call("POST", "/api/v1/auth/refresh", { cookie });

describe("concurrent refreshes", () => {
  it("two refreshes with one cookie at the same moment both succeed with the same successor", async () => {
    const user = await registerUser();
    const responses = await Promise.all([refresh(user.cookie), refresh(user.cookie)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200]);
    const cookies = responses.map(refreshCookieOf);
    expect(cookies[0]).toBeTruthy();
    expect(cookies[1]).toBe(cookies[0]);
    const tokens = await Promise.all(responses.map(async (r) => (await json(r)).accessToken as string));
    for (const token of tokens) expect((await call("GET", "/api/v1/me", { token })).status).toBe(200);

    // The shared successor keeps working: the session was not ended as "reuse".
    const next = await refresh(cookies[0] as string);
    expect(next.status).toBe(200);
    expect((await call("GET", "/api/v1/me", { token: (await json(next)).accessToken })).status).toBe(200);
  });

  it("a retry shortly after (a lost response) gets the same successor; a reuse after the window ends the family", async () => {
    const user = await registerUser();
    const first = await refresh(user.cookie);
    const retry = await refresh(user.cookie);
    expect(retry.status).toBe(200);
    const successor = refreshCookieOf(first) as string;
    expect(refreshCookieOf(retry)).toBe(successor);

    await env.DB.prepare(
      "UPDATE refresh_tokens SET rotated_at = rotated_at - 31000 WHERE user_id = ?1 AND rotated_at IS NOT NULL",
    )
      .bind(user.id)
      .run();
    const late = await refresh(user.cookie);
    expect(late.status).toBe(401);
    expect((await refresh(successor)).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: (await json(first)).accessToken })).status).toBe(401);
  });

  it("a rotated token whose successor was already rotated is reuse, even inside the window", async () => {
    const user = await registerUser();
    const second = refreshCookieOf(await refresh(user.cookie)) as string;
    const third = refreshCookieOf(await refresh(second)) as string;
    expect((await refresh(user.cookie)).status).toBe(401);
    expect((await refresh(third)).status).toBe(401);
  });

  it("stores no refresh token in clear, successors included", async () => {
    const user = await registerUser();
    const successor = (refreshCookieOf(await refresh(user.cookie)) as string).split("=")[1] as string;
    const rows = await env.DB.prepare("SELECT * FROM refresh_tokens WHERE user_id = ?1").bind(user.id).all();
    const stored = JSON.stringify(rows.results);
    expect(stored).not.toContain(successor);
    expect(stored).not.toContain(user.cookie.split("=")[1]);
  });
});

describe("the hourly purge of refresh tokens", () => {
  it("deletes expired and ended sessions' rows, keeps rotated ones so reuse is still caught", async () => {
    const { createExecutionContext, createScheduledController } = await import("cloudflare:test");
    const { default: worker } = await import("../../index.ts");
    const rowsOf = async (userId: string) =>
      (
        await env.DB.prepare("SELECT COUNT(*) AS n FROM refresh_tokens WHERE user_id = ?1")
          .bind(userId)
          .first<{ n: number }>()
      )?.n;

    const loggedOut = await registerUser();
    await call("POST", "/api/v1/auth/logout", { cookie: loggedOut.cookie });
    const expired = await registerUser();
    await env.DB.prepare("UPDATE refresh_tokens SET expires_at = ?1 WHERE user_id = ?2")
      .bind(Date.now() - 1, expired.id)
      .run();
    const active = await registerUser();
    const current = refreshCookieOf(await refresh(active.cookie)) as string;

    const hourly = createScheduledController({ scheduledTime: Date.now(), cron: "17 * * * *" });
    await worker.scheduled(hourly, env, createExecutionContext());
    expect(await rowsOf(loggedOut.id)).toBe(0);
    expect(await rowsOf(expired.id)).toBe(0);
    expect(await rowsOf(active.id)).toBe(2);

    // Reuse of the old token after the window is still detected and ends the session.
    await env.DB.prepare("UPDATE refresh_tokens SET rotated_at = rotated_at - 31000 WHERE user_id = ?1")
      .bind(active.id)
      .run();
    expect((await refresh(active.cookie)).status).toBe(401);
    expect((await refresh(current)).status).toBe(401);
  });
});
