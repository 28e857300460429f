import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import exampleVars from "../../.dev.vars.example?raw";
import app from "../app.ts";
import type { Env } from "../env.ts";
import { secretProblems } from "../shared/secrets-check.ts";

/** The example file's NAME=value pairs. */
const examples = Object.fromEntries(
  exampleVars
    .split("\n")
    .filter((line: string) => /^[A-Z_]+=/.test(line))
    .map((line: string) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
);

async function fetchWith(overrides: Partial<Env>, path: string, init?: RequestInit) {
  const ctx = createExecutionContext();
  return app.fetch(new Request(`https://veza.test${path}`, init), { ...env, ...overrides }, ctx);
}

describe("secrets outside development", () => {
  it("the example secrets are refused by name: health says what is wrong, the API answers 503", async () => {
    const overrides = {
      ENVIRONMENT: "production",
      JWT_SECRET: examples.JWT_SECRET,
      STREAM_SIGNING_KEY: "short-but-not-an-example",
      TRANSCODER_SECRET: undefined,
    } as Partial<Env>;
    expect(examples.JWT_SECRET).toBeTruthy();

    const health = await fetchWith(overrides, "/api/v1/health");
    expect(health.status).toBe(503);
    const body = await health.json<any>();
    expect(body).toEqual({
      ok: false,
      version: expect.any(String),
      problems: [
        { name: "JWT_SECRET", problem: "example_value" },
        { name: "STREAM_SIGNING_KEY", problem: "too_short" },
        { name: "TRANSCODER_SECRET", problem: "missing" },
      ],
    });
    expect(JSON.stringify(body)).not.toContain(examples.JWT_SECRET);

    for (const [method, path] of [
      ["POST", "/api/v1/auth/login"],
      ["GET", "/api/v1/tracks"],
      ["GET", "/api/v1/me"],
    ] as const) {
      const response = await fetchWith(overrides, path, {
        method,
        headers: { "content-type": "application/json" },
        body: method === "POST" ? JSON.stringify({ login: "a", password: "b" }) : undefined,
      });
      expect(response.status, path).toBe(503);
      const error = await response.json<any>();
      expect(error.error).toMatchObject({ code: "server_misconfigured", details: { secrets: expect.any(Array) } });
    }
  });

  it("every secret in .dev.vars.example is recognised as an example", () => {
    const secretNames = Object.keys(examples).filter((name) => /SECRET|KEY/.test(name));
    expect(secretNames.length).toBeGreaterThanOrEqual(3);
    for (const name of secretNames) {
      const problems = secretProblems({ ...env, ENVIRONMENT: "production", [name]: examples[name] } as Env);
      expect(problems, name).toContainEqual({ name, problem: "example_value" });
    }
  });

  it("a VAPID key pair is optional, but refused when it is not a P-256 pair in base64url", () => {
    const production = { ...env, ENVIRONMENT: "production" } as Env;
    expect(secretProblems({ ...production, VAPID_PUBLIC_KEY: "", VAPID_PRIVATE_KEY: "" } as Env)).toEqual([]);
    expect(
      secretProblems({ ...production, VAPID_PUBLIC_KEY: "x".repeat(87), VAPID_PRIVATE_KEY: `${"y".repeat(40)}!` }),
    ).toEqual([
      { name: "VAPID_PUBLIC_KEY", problem: "malformed" },
      { name: "VAPID_PRIVATE_KEY", problem: "malformed" },
    ]);
  });

  it("development accepts the examples, and strong secrets serve everywhere", async () => {
    const dev = await fetchWith({ ENVIRONMENT: "development", ...examples } as Partial<Env>, "/api/v1/health");
    expect(dev.status).toBe(200);
    // The test environment itself runs as production with strong secrets.
    expect(env.ENVIRONMENT).toBe("production");
    const prod = await fetchWith({}, "/api/v1/health");
    expect(await prod.json()).toEqual({ ok: true, version: expect.any(String) });
  });
});
