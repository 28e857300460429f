// The soak's operations, each what a listener's client does: browse, search, stream with range
// seeks, report a play, send a chat message; and uploads of generated audio through the real
// pipeline. Play reports are only sent when they must count (each listener reports a track at
// most once per two track lengths, a full listen with a fresh listen id), so the play counts at
// the end must equal the reports sent.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import type { ChatRoomClients } from "./chat.ts";
import type { Http, User } from "./http.ts";

const run = promisify(execFile);
const FFMPEG = process.env.FFMPEG_PATH || "ffmpeg";
const SEEK_BYTES = 16 * 1024;
const WORDS = ["amber", "river", "night", "velvet", "echo", "harbor", "ember", "glass", "meadow", "orbit"];

export type PlayableTrack = { id: string; title: string; durationMs: number; owner: User };

export const OPS = ["browse", "search", "stream", "play", "chat"] as const;
export type Op = (typeof OPS)[number];
/** The share of each operation in the mix. */
export const MIX: Record<Op, number> = { browse: 0.35, search: 0.15, stream: 0.2, play: 0.15, chat: 0.15 };

export class Traffic {
  readonly tracks: PlayableTrack[] = [];
  /** Play reports the API accepted as counted, per track: what the play counts must show at the end. */
  readonly playsSent = new Map<string, number>();
  playsNotCounted = 0;
  readonly done = new Map<Op, number>(OPS.map((op) => [op, 0]));
  readonly failed = new Map<Op, number>(OPS.map((op) => [op, 0]));
  private readonly lastPlay = new Map<string, number>();
  uploads = { started: 0, ready: 0, failed: 0, processing: 0, refused: 0 };

  private readonly http: Http;
  private readonly listeners: User[];
  private readonly uploaders: User[];
  private readonly chat: ChatRoomClients;
  private readonly scratch: string;
  /** The shares of the mix, MIX unless a narrower one is asked for (to find which operation costs what). */
  mix: Record<Op, number> = MIX;

  constructor(http: Http, listeners: User[], uploaders: User[], chat: ChatRoomClients, scratch: string) {
    this.http = http;
    this.listeners = listeners;
    this.uploaders = uploaders;
    this.chat = chat;
    this.scratch = scratch;
  }

  /** One operation drawn from the mix; a play or chat message with nobody free to make it browses instead. */
  async one(): Promise<Op> {
    let op = draw(this.mix);
    const listener = pick(this.listeners);
    let playable: PlayableTrack | undefined;
    if (op === "play") {
      playable = this.playableBy(listener);
      if (!playable) op = "browse";
    }
    const socket = op === "chat" ? this.chat.idleSocket() : undefined;
    if (op === "chat" && !socket) op = "browse";
    try {
      if (op === "browse") await this.browse(listener);
      else if (op === "search") await this.search(listener);
      else if (op === "stream") await this.stream(listener);
      else if (op === "play") await this.play(listener, playable as PlayableTrack);
      else await socket?.send();
      this.done.set(op, (this.done.get(op) ?? 0) + 1);
    } catch {
      this.failed.set(op, (this.failed.get(op) ?? 0) + 1);
    }
    return op;
  }

  private async browse(user: User): Promise<void> {
    const track = pick(this.tracks);
    const token = await user.token();
    const pages: Array<[string, string | undefined]> = [
      ["/api/v1/tracks?limit=20", undefined],
      [`/api/v1/tracks/${track.id}`, undefined],
      [`/api/v1/tracks/${track.id}/comments`, token],
      [`/api/v1/users/${track.owner.username}`, undefined],
      ["/api/v1/discover/recent", undefined],
      ["/api/v1/feed", token],
      ["/api/v1/rooms", token],
    ];
    const [route, auth] = pick(pages);
    await this.http.json("browse", "GET", route, 200, { token: auth });
  }

  private async search(user: User): Promise<void> {
    const word = pick(WORDS);
    const q = Math.random() < 0.5 ? word.slice(0, 3) : word;
    await this.http.json("search", "GET", `/api/v1/search?q=${encodeURIComponent(q)}`, 200, {
      token: await user.token(),
    });
  }

  /** The signed URL, the first 64 KiB as a player starts, then two seeks. */
  private async stream(user: User): Promise<void> {
    const track = pick(this.tracks);
    const signed = await this.http.json("stream", "GET", `/api/v1/tracks/${track.id}/stream`, 200, {
      token: await user.token(),
    });
    const start = await this.http.send("stream", "GET", signed.url, {
      headers: { range: "bytes=0-65535" },
      binary: true,
    });
    const total = Number(/\/(\d+)$/.exec(start.headers.get("content-range") ?? "")?.[1]);
    if (start.status !== 206 || !Number.isFinite(total)) throw this.unexpected("stream", start.status);
    for (let i = 0; i < 2; i++) {
      const offset = Math.floor(Math.random() * Math.max(1, total - SEEK_BYTES));
      const end = Math.min(total, offset + SEEK_BYTES) - 1;
      const seek = await this.http.send("stream", "GET", signed.url, {
        headers: { range: `bytes=${offset}-${end}` },
        binary: true,
      });
      if (seek.status !== 206 || seek.bytes !== end - offset + 1) throw this.unexpected("stream", seek.status);
    }
  }

  private unexpected(op: string, status: number): Error {
    const key = `${op} ${status}`;
    this.http.stats.unexpected.set(key, (this.http.stats.unexpected.get(key) ?? 0) + 1);
    return new Error(key);
  }

  /** A track this listener has not reported for two track lengths (so the report must count). */
  private playableBy(user: User): PlayableTrack | undefined {
    const now = Date.now();
    const free = this.tracks.filter((t) => now - (this.lastPlay.get(`${user.id} ${t.id}`) ?? 0) > 2 * t.durationMs);
    return free.length > 0 ? pick(free) : undefined;
  }

  private async play(user: User, track: PlayableTrack): Promise<void> {
    this.lastPlay.set(`${user.id} ${track.id}`, Date.now());
    const result = await this.http.json("play", "POST", `/api/v1/tracks/${track.id}/plays`, 202, {
      token: await user.token(),
      json: { listenedMs: track.durationMs, listenId: randomBytes(8).toString("hex") },
    });
    if (result.counted) this.playsSent.set(track.id, (this.playsSent.get(track.id) ?? 0) + 1);
    else this.playsNotCounted++;
  }

  /**
   * Generates a few seconds of audio with ffmpeg, uploads it in parts as the web app does, and
   * waits (in the background of the soak) for the transcoder; a ready track joins the mix.
   */
  async upload(n: number, waitMs = 300_000): Promise<void> {
    const owner = this.uploaders[n % this.uploaders.length] as User;
    const title = `${WORDS[n % WORDS.length]} ${WORDS[(n * 7 + 3) % WORDS.length]} ${n}`;
    const file = path.join(this.scratch, `upload-${n}.mp3`);
    const frequency = 220 + ((n * 37) % 600);
    await run(
      FFMPEG,
      ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i"].concat([
        `sine=frequency=${frequency}:duration=6`,
        "-c:a",
        "libmp3lame",
        "-b:a",
        "96k",
        file,
      ]),
    );
    const bytes = new Uint8Array(readFileSync(file));
    this.uploads.started++;
    let trackId: string;
    try {
      const created = await this.http.json("upload", "POST", "/api/v1/uploads", 201, {
        token: await owner.token(),
        json: { filename: `${title}.mp3`, size: bytes.length, contentType: "audio/mpeg", title },
      });
      for (let part = 1; (part - 1) * created.partSize < bytes.length; part++) {
        await this.http.json("upload", "PUT", `/api/v1/uploads/${created.uploadId}/parts/${part}`, 200, {
          token: await owner.token(),
          raw: bytes.subarray((part - 1) * created.partSize, part * created.partSize),
        });
      }
      const completed = await this.http.json("upload", "POST", `/api/v1/uploads/${created.uploadId}/complete`, 202, {
        token: await owner.token(),
      });
      trackId = completed.track.id;
    } catch (error) {
      this.uploads.refused++;
      throw error;
    }
    this.uploads.processing++;
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2_000));
      const track = await this.http
        .json("upload", "GET", `/api/v1/tracks/${trackId}`, 200, { token: await owner.token() })
        .catch(() => undefined);
      if (track?.status === "ready") {
        this.uploads.processing--;
        this.uploads.ready++;
        this.tracks.push({ id: trackId, title, durationMs: track.durationMs, owner });
        return;
      }
      if (track?.status === "failed") {
        this.uploads.processing--;
        this.uploads.failed++;
        return;
      }
    }
  }
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)] as T;
}

function draw(mix: Record<Op, number>): Op {
  let r = Math.random() * OPS.reduce((sum, op) => sum + mix[op], 0);
  for (const op of OPS) {
    r -= mix[op];
    if (r < 0) return op;
  }
  return OPS.find((op) => mix[op] > 0) ?? "browse";
}
