import { createExecutionContext, createScheduledController } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import wranglerToml from "../../wrangler.toml?raw";
import worker from "../index.ts";
import { cronTasks, queueConsumers } from "../jobs.ts";
import { call, registerUser } from "./http.ts";

/** The top level of wrangler.toml (local development and tests); ops/test checks the environments repeat it. */
const topLevel = wranglerToml.split(/^\[env\./m)[0] as string;

describe("the jobs registry", () => {
  it("has tasks for exactly the cron expressions wrangler.toml triggers", () => {
    const crons = [...(/^crons\s*=\s*\[([^\]]*)\]/m.exec(topLevel)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    expect(crons.length).toBeGreaterThan(0);
    expect(Object.keys(cronTasks).sort()).toEqual(crons.sort());
    for (const tasks of Object.values(cronTasks)) expect(tasks.length).toBeGreaterThan(0);
  });

  it("has a consumer for exactly the queues wrangler.toml consumes", () => {
    const consumed = [...topLevel.matchAll(/^\[\[queues\.consumers\]\]\s*\nqueue\s*=\s*"([^"]+)"/gm)].map((m) => m[1]);
    expect(consumed.length).toBeGreaterThan(0);
    expect(Object.keys(queueConsumers).sort()).toEqual(consumed.sort());
  });
});

describe("a cron trigger", () => {
  it("runs every task even when one fails, then reports the failure", async () => {
    // The refresh-token purge comes after the R2 sweep in the hourly list.
    const names = (cronTasks["17 * * * *"] ?? []).map((t) => t.name);
    expect(names.indexOf("refresh-token-purge")).toBeGreaterThan(names.indexOf("orphaned-track-media"));
    const user = await registerUser();
    await call("POST", "/api/v1/auth/logout", { cookie: user.cookie });
    const list = vi.spyOn(env.MEDIA, "list").mockRejectedValue(new Error("R2 is unavailable"));
    const lines: string[] = [];
    vi.spyOn(console, "error").mockImplementation((line: string) => void lines.push(line));

    const hourly = createScheduledController({ scheduledTime: Date.now(), cron: "17 * * * *" });
    await expect(worker.scheduled(hourly, env, createExecutionContext())).rejects.toThrow("1 cron task(s) failed");
    vi.restoreAllMocks();
    expect(list).toHaveBeenCalled();
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM refresh_tokens WHERE user_id = ?1")
      .bind(user.id)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
    const failed = lines.map((line) => JSON.parse(line));
    expect(failed).toEqual([
      expect.objectContaining({
        level: "error",
        event: "cron",
        cron: "17 * * * *",
        task: "orphaned-track-media",
        outcome: "error",
        error: expect.objectContaining({ message: "R2 is unavailable" }),
      }),
    ]);
  });
});
