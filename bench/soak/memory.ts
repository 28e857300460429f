// Resident memory of the processes a script started (its descendants in /proc), grouped by role,
// sampled over time; and the trend of each role after a warm-up.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

export const ROLES = ["workerd", "wrangler", "transcoder", "ffmpeg", "other"] as const;
export type Role = (typeof ROLES)[number];

type Proc = { pid: number; ppid: number; comm: string; cmdline: string; rssMiB: number };

function readProc(pid: number): Proc | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const ppid = Number(stat.slice(close + 2).split(" ")[1]);
    const rssKiB = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
    return { pid, ppid, comm, cmdline, rssMiB: rssKiB / 1024 };
  } catch {
    return undefined; // exited while being read
  }
}

/** Every live process below `root`. */
export function descendants(root = process.pid): Proc[] {
  const all = readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is Proc => p !== undefined);
  const children = new Map<number, Proc[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const found: Proc[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

export function roleOf(p: Pick<Proc, "comm" | "cmdline">): Role {
  if (p.comm === "workerd") return "workerd";
  if (p.comm === "ffmpeg" || p.comm === "ffprobe") return "ffmpeg";
  if (p.cmdline.includes("transcoder/server.ts")) return "transcoder";
  if (p.cmdline.includes("wrangler")) return "wrangler";
  return "other";
}

export type MemorySample = { at: number; load1: number; mib: Record<Role, number> };

export function sampleMemory(now = Date.now()): MemorySample {
  const mib = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
  for (const p of descendants()) mib[roleOf(p)] += p.rssMiB;
  return { at: now, load1: os.loadavg()[0] ?? 0, mib };
}

export type Trend = {
  first: number;
  last: number;
  max: number;
  /** Least-squares slope after the warm-up, MiB per minute. */
  slopePerMinute: number;
  /** The slope over the measured window, as a share of the mean level after the warm-up. */
  growthShare: number;
  flat: boolean;
};

/**
 * The trend of `values` (sampled at `times`, ms) after the first `warmup` ms. Flat means the
 * fitted growth over the window after the warm-up is under 10 % of the level and under 32 MiB:
 * memory that rises during warm-up (caches, JIT) and then holds is bounded; memory that keeps
 * climbing by the same amount every minute is a leak.
 */
export function trendOf(times: number[], values: number[], warmup: number): Trend {
  const start = times[0] ?? 0;
  const after = times.map((t, i) => [t, values[i] as number] as const).filter(([t]) => t - start >= warmup);
  const points = after.length >= 3 ? after : times.map((t, i) => [t, values[i] as number] as const);
  const n = points.length;
  const meanT = points.reduce((s, [t]) => s + t, 0) / n;
  const meanV = points.reduce((s, [, v]) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, v] of points) {
    num += (t - meanT) * (v - meanV);
    den += (t - meanT) ** 2;
  }
  const slopePerMs = den > 0 ? num / den : 0;
  const windowMs = (points.at(-1)?.[0] ?? 0) - (points[0]?.[0] ?? 0);
  const growth = slopePerMs * windowMs;
  const growthShare = meanV > 0 ? growth / meanV : 0;
  return {
    first: values[0] ?? 0,
    last: values.at(-1) ?? 0,
    max: Math.max(...values),
    slopePerMinute: slopePerMs * 60_000,
    growthShare,
    flat: growthShare < 0.1 && growth < 32,
  };
}
