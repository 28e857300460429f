import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectErrorEnvelope, freshIp, json } from "../../test/http.ts";
import { DEVICE_COOKIE } from "../device-id.ts";

let counter = 0;
function newcomer() {
  counter++;
  const username = `nat_${Date.now().toString(36)}${counter}${Math.floor(Math.random() * 1e6).toString(36)}`;
  return { username, email: `${username}@example.test`, password: "a long enough password" };
}

const register = (body: unknown, ip: string, cookie?: string) =>
  call("POST", "/api/v1/auth/register", { body, ip, cookie });

function deviceCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  if (!cookie) throw new Error("no device cookie");
  expect(cookie).toMatch(/HttpOnly/);
  return cookie.split(";")[0]!;
}

describe("sign-up limits", () => {
  it("lets 25 newcomers behind one shared address sign up (the old limit refused the 21st)", async () => {
    const ip = freshIp();
    for (let i = 0; i < 25; i++) {
      const response = await register(newcomer(), ip);
      expect(response.status, `sign-up ${i + 1}`).toBe(201);
    }
  });

  it("limits one browser to five sign-ups an hour, with Retry-After and a message that says why", async () => {
    const ip = freshIp();
    const first = await register(newcomer(), ip);
    expect(first.status).toBe(201);
    const device = deviceCookieOf(first);
    for (let i = 0; i < 4; i++) expect((await register(newcomer(), ip, device)).status).toBe(201);
    const limited = await register(newcomer(), ip, device);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const body = await json(limited);
    expectErrorEnvelope(body, "rate_limited");
    expect(body.error.message).toMatch(
      /already created from this browser.*Try again in \d+ (minutes?|seconds?|hour)\./,
    );
    expect(body.error.details).toEqual({ retryAfterSeconds: retryAfter });
    // Someone else on the same network is not affected.
    expect((await register(newcomer(), ip)).status).toBe(201);
  });

  it("limits attempts on one email address to five an hour", async () => {
    const taken = newcomer();
    expect((await register(taken, freshIp())).status).toBe(201);
    for (let i = 0; i < 4; i++) {
      const again = await register({ ...newcomer(), email: taken.email }, freshIp());
      expect(again.status).toBe(409);
    }
    const limited = await register({ ...newcomer(), email: taken.email }, freshIp());
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.message).toMatch(/This email address was tried too many times/);
  });

  it("still stops a flood from one address after 300 sign-ups an hour", async () => {
    const ip = freshIp();
    // The first 299 of the hour, counted straight in the limiter (each sign-up costs a password hash).
    const limiter = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`register:ip:${ip}`));
    for (let i = 0; i < 299; i++) await limiter.hit(300, 3600);
    expect((await register(newcomer(), ip)).status).toBe(201);
    const limited = await register(newcomer(), ip);
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.message).toMatch(/Very many accounts were created from your network/);
  });
});
