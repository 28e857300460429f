import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import app from "../../app.ts";
import type { Env } from "../../env.ts";
import { ApiError } from "../../shared/errors.ts";
import { call } from "../../test/http.ts";
import { mailTo } from "../../test/mail.ts";
import { sendEmail } from "../send.ts";
import { tokenLink, verifyEmailMessage } from "../templates/account.ts";
import { emailTransport, parseSender } from "../transport.ts";

const unique = () => `mail_${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}@example.test`;

async function fetchWith(overrides: Partial<Env>, path: string) {
  return app.fetch(new Request(`https://veza.test${path}`), { ...env, ...overrides }, createExecutionContext());
}

describe("templates", () => {
  it("say the same thing in text and HTML, with the link in both and names escaped in HTML", () => {
    const link = tokenLink("https://veza.example", "/verify-email", "abc_DEF-123");
    expect(link).toBe("https://veza.example/verify-email?token=abc_DEF-123");
    const message = verifyEmailMessage({ to: "a@example.test", name: "<b>Ada</b> & co" }, link);
    expect(message.subject).toBe("Confirm your email address");
    expect(message.text).toContain(link);
    expect(message.text).toContain("Hi <b>Ada</b> & co,");
    expect(message.html).toContain(`href="${link}"`);
    expect(message.html).toContain("Hi &lt;b&gt;Ada&lt;/b&gt; &amp; co,");
    expect(message.html).not.toContain("<b>Ada</b>");
    expect(message.text).toContain("24 hours");
  });
});

describe("the transport", () => {
  it("is the outbox in development whatever is configured, else EMAIL_TRANSPORT (cloudflare by default)", () => {
    expect(emailTransport({ ENVIRONMENT: "development", EMAIL_TRANSPORT: "http" })).toBe("outbox");
    expect(emailTransport({ ENVIRONMENT: "production", EMAIL_TRANSPORT: "http" })).toBe("http");
    expect(emailTransport({ ENVIRONMENT: "production", EMAIL_TRANSPORT: "" })).toBe("cloudflare");
    expect(emailTransport({ ENVIRONMENT: "staging", EMAIL_TRANSPORT: "pigeon" })).toBe("cloudflare");
  });

  it("reads the sender as a name and an address", () => {
    expect(parseSender("Veza <no-reply@veza.example>")).toEqual({ name: "Veza", email: "no-reply@veza.example" });
    expect(parseSender('"Veza Radio" <hi@veza.example>')).toEqual({ name: "Veza Radio", email: "hi@veza.example" });
    expect(parseSender("hi@veza.example")).toEqual({ name: "hi@veza.example", email: "hi@veza.example" });
  });

  it("keeps mail in the outbox for the address it was sent to, newest first", async () => {
    const to = unique();
    await sendEmail(env, { to, subject: "first", text: "one", html: "<p>one</p>" });
    await sendEmail(env, { to: to.toUpperCase(), subject: "second", text: "two", html: "<p>two</p>" });
    await sendEmail(env, { to: unique(), subject: "someone else's", text: "x", html: "x" });
    const items = await mailTo(to);
    expect(items.map((item) => item.subject)).toEqual(["second", "first"]);
    expect(items[0]).toEqual({ to, subject: "second", text: "two", html: "<p>two</p>", sentAt: expect.any(String) });
  });

  it("hands mail to the send_email binding when configured for Cloudflare, not to the outbox", async () => {
    const to = unique();
    await sendEmail({ ...env, EMAIL_TRANSPORT: "cloudflare" }, { to, subject: "real", text: "t", html: "<p>t</p>" });
    expect(await mailTo(to)).toEqual([]);
  });

  it("turns a provider failure into a 503 email_unavailable, and keeps nothing", async () => {
    const to = unique();
    const failing = {
      ...env,
      EMAIL_TRANSPORT: "http",
      EMAIL_HTTP_URL: "http://127.0.0.1:9/emails",
      EMAIL_HTTP_TOKEN: "t",
    };
    const error = await sendEmail(failing, { to, subject: "lost", text: "t", html: "t" }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 503, code: "email_unavailable" });
    expect(await mailTo(to)).toEqual([]);
  });

  it("outside development refuses to serve when the HTTP provider is chosen without its address or token", async () => {
    const health = await fetchWith(
      { EMAIL_TRANSPORT: "http", EMAIL_HTTP_URL: "", EMAIL_HTTP_TOKEN: undefined },
      "/api/v1/health",
    );
    expect(health.status).toBe(503);
    expect((await health.json<any>()).problems).toEqual([
      { name: "EMAIL_HTTP_URL", problem: "missing" },
      { name: "EMAIL_HTTP_TOKEN", problem: "missing" },
    ]);
  });
});

describe("GET /api/v1/dev/outbox", () => {
  it("does not exist outside development: the same 404 as an unknown path", async () => {
    const to = unique();
    await sendEmail(env, { to, subject: "secret link", text: "t", html: "t" });
    expect(env.ENVIRONMENT).toBe("production");
    const production = await call("GET", `/api/v1/dev/outbox?to=${to}`);
    expect(production.status).toBe(404);
    const body = await production.json<any>();
    expect(body).toEqual({ error: { code: "not_found", message: "No route for GET /api/v1/dev/outbox." } });
    expect(JSON.stringify(body)).not.toContain("secret link");
    const staging = await fetchWith({ ENVIRONMENT: "staging" }, `/api/v1/dev/outbox?to=${to}`);
    expect(staging.status).toBe(404);
    const unknown = await call("GET", "/api/v1/dev/nothing-here");
    expect((await unknown.json<any>()).error.code).toBe("not_found");
  });

  it("in development lists the mail sent to an address, newest first", async () => {
    const to = unique();
    await sendEmail(env, { to, subject: "hello", text: "plain", html: "<p>rich</p>" });
    await sendEmail(env, { to: unique(), subject: "other", text: "t", html: "t" });
    const response = await fetchWith({ ENVIRONMENT: "development" }, `/api/v1/dev/outbox?to=${encodeURIComponent(to)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      items: [{ to, subject: "hello", text: "plain", html: "<p>rich</p>", sentAt: expect.any(String) }],
    });
    const all = await fetchWith({ ENVIRONMENT: "development" }, "/api/v1/dev/outbox");
    expect((await all.json<any>()).items.length).toBeGreaterThanOrEqual(2);
  });
});
