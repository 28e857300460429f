import { SELF } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, freshIp, json, refreshCookieOf, registerUser } from "../../test/http.ts";
import { purgeRefreshTokens } from "../sessions.ts";

const FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SAFARI_IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** A request from a device: its User-Agent and the place the edge puts in `request.cf`. */
function fromDevice(
  method: string,
  path: string,
  device: { userAgent: string; cf?: { city?: string; country?: string } },
  options: { body?: unknown; cookie?: string; token?: string } = {},
) {
  const headers = new Headers({ "user-agent": device.userAgent, "cf-connecting-ip": freshIp() });
  if (options.body !== undefined) headers.set("content-type", "application/json");
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.token) headers.set("authorization", `Bearer ${options.token}`);
  return SELF.fetch(`https://veza.test${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    cf: device.cf ?? {},
  });
}

async function loginFrom(user: { username: string; password: string }, device: Parameters<typeof fromDevice>[2]) {
  const response = await fromDevice("POST", "/api/v1/auth/login", device, {
    body: { login: user.username, password: user.password },
  });
  expect(response.status).toBe(200);
  return { token: (await json(response)).accessToken as string, cookie: refreshCookieOf(response) as string };
}

const listSessions = async (token: string) => (await json(await call("GET", "/api/v1/me/sessions", { token }))).items;

describe("signed-in devices", () => {
  it("lists each device with browser, system, place, times, and the current one marked", async () => {
    const user = await registerUser();
    const laptop = await loginFrom(user, { userAgent: FIREFOX_WINDOWS, cf: { city: "Lyon", country: "FR" } });
    const phone = await loginFrom(user, { userAgent: SAFARI_IPHONE });

    const seenFromLaptop = await listSessions(laptop.token);
    expect(seenFromLaptop).toHaveLength(3);
    const [phoneRow, laptopRow] = seenFromLaptop;
    expect(laptopRow).toMatchObject({
      method: "password",
      browser: "Firefox 133",
      os: "Windows",
      city: "Lyon",
      country: "FR",
      current: true,
    });
    expect(phoneRow).toMatchObject({ browser: "Safari 18", os: "iOS", city: null, country: null, current: false });
    expect(Date.parse(laptopRow.createdAt)).toBeLessThanOrEqual(Date.parse(phoneRow.createdAt));
    expect(laptopRow.lastUsedAt).toBe(laptopRow.createdAt);

    const seenFromPhone = await listSessions(phone.token);
    expect(seenFromPhone.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).toEqual([
      phoneRow.id,
    ]);
  });

  it("moves last use and place on refresh, not on every request", async () => {
    const user = await registerUser();
    const laptop = await loginFrom(user, { userAgent: FIREFOX_WINDOWS, cf: { city: "Lyon", country: "FR" } });
    const before = (await listSessions(laptop.token)).find((s: { current: boolean }) => s.current);
    await new Promise((r) => setTimeout(r, 5));
    await call("GET", "/api/v1/me", { token: laptop.token });
    expect((await listSessions(laptop.token)).find((s: { current: boolean }) => s.current).lastUsedAt).toBe(
      before.lastUsedAt,
    );

    const refreshed = await fromDevice(
      "POST",
      "/api/v1/auth/refresh",
      { userAgent: FIREFOX_WINDOWS, cf: { city: "Marseille", country: "FR" } },
      { cookie: laptop.cookie },
    );
    expect(refreshed.status).toBe(200);
    const token = (await json(refreshed)).accessToken as string;
    const after = (await listSessions(token)).find((s: { current: boolean }) => s.current);
    expect(after.id).toBe(before.id);
    expect(Date.parse(after.lastUsedAt)).toBeGreaterThan(Date.parse(before.lastUsedAt));
    expect(after.city).toBe("Marseille");
    expect(after.createdAt).toBe(before.createdAt);
  });

  it("revoking a device ends its refresh cookie and its access tokens at once", async () => {
    const user = await registerUser();
    const phone = await loginFrom(user, { userAgent: SAFARI_IPHONE });
    const phoneId = (await listSessions(phone.token)).find((s: { current: boolean }) => s.current).id;

    const revoked = await call("DELETE", `/api/v1/me/sessions/${phoneId}`, { token: user.token });
    expect(revoked.status).toBe(204);
    expect((await call("GET", "/api/v1/me", { token: phone.token })).status).toBe(401);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: phone.cookie })).status).toBe(401);
    expect((await call("GET", "/api/v1/me", { token: user.token })).status).toBe(200);
    expect((await listSessions(user.token)).map((s: { id: string }) => s.id)).not.toContain(phoneId);

    // Already signed out: nothing left to revoke.
    const again = await call("DELETE", `/api/v1/me/sessions/${phoneId}`, { token: user.token });
    expect(again.status).toBe(404);
    expectErrorEnvelope(await json(again), "not_found");
  });

  it("answers 404 for another user's device or an unknown id, and leaves it signed in", async () => {
    const owner = await registerUser();
    const stranger = await registerUser();
    const ownerId = (await listSessions(owner.token))[0].id;
    const response = await call("DELETE", `/api/v1/me/sessions/${ownerId}`, { token: stranger.token });
    expect(response.status).toBe(404);
    expectErrorEnvelope(await json(response), "not_found");
    expect((await call("GET", "/api/v1/me", { token: owner.token })).status).toBe(200);
    expect((await call("DELETE", "/api/v1/me/sessions/nope", { token: stranger.token })).status).toBe(404);
    expect((await call("GET", "/api/v1/me/sessions")).status).toBe(401);
  });

  it("signs out every other device and keeps this one", async () => {
    const user = await registerUser();
    const phone = await loginFrom(user, { userAgent: SAFARI_IPHONE });
    const laptop = await loginFrom(user, { userAgent: FIREFOX_WINDOWS });
    const response = await call("POST", "/api/v1/me/sessions/revoke-others", { token: laptop.token });
    expect(response.status).toBe(204);
    expect((await call("GET", "/api/v1/me", { token: laptop.token })).status).toBe(200);
    expect((await call("POST", "/api/v1/auth/refresh", { cookie: laptop.cookie })).status).toBe(200);
    for (const other of [phone, user]) {
      expect((await call("GET", "/api/v1/me", { token: other.token })).status).toBe(401);
      expect((await call("POST", "/api/v1/auth/refresh", { cookie: other.cookie })).status).toBe(401);
    }
    expect(await listSessions(laptop.token)).toHaveLength(1);
  });

  it("a signed-out device leaves the list, and the hourly purge removes its row", async () => {
    const user = await registerUser();
    const phone = await loginFrom(user, { userAgent: SAFARI_IPHONE });
    expect((await call("POST", "/api/v1/auth/logout", { cookie: phone.cookie })).status).toBe(204);
    expect(await listSessions(user.token)).toHaveLength(1);
    const rows = () => env.DB.prepare("SELECT count(*) AS n FROM sessions WHERE user_id = ?1").bind(user.id).first("n");
    expect(await rows()).toBe(2);
    await purgeRefreshTokens(env.DB);
    expect(await rows()).toBe(1);
  });

  it("pages with a cursor", async () => {
    const user = await registerUser();
    for (let i = 0; i < 2; i++) await loginFrom(user, { userAgent: SAFARI_IPHONE });
    const first = await json(await call("GET", "/api/v1/me/sessions?limit=2", { token: user.token }));
    expect(first.items).toHaveLength(2);
    const rest = await json(
      await call("GET", `/api/v1/me/sessions?limit=2&cursor=${first.nextCursor}`, { token: user.token }),
    );
    expect(rest.items).toHaveLength(1);
    expect(rest.nextCursor).toBeNull();
  });
});
