// The soak's HTTP side: every request goes through `send`, which counts statuses and keeps the
// first few server errors and network failures to print; users sign up once and refresh their
// access token (it lives 15 minutes, less than a soak with its set-up) from the refresh cookie.

import { verifyEmailThroughOutbox } from "../../e2e/api.ts";

export type Failure = { op: string; method: string; path: string; status: number | "network"; detail: string };

export class HttpStats {
  requests = 0;
  readonly byStatus = new Map<number, number>();
  serverErrors = 0;
  networkErrors = 0;
  /** Answers an operation did not expect (a 4xx where it wanted a 2xx), by op and status. */
  readonly unexpected = new Map<string, number>();
  readonly examples: Failure[] = [];

  record(failure: Failure): void {
    if (this.examples.length < 10) this.examples.push(failure);
  }
}

export type Reply = { status: number; headers: Headers; text: string; bytes: number };

export class Http {
  readonly baseUrl: string;
  readonly stats: HttpStats;

  constructor(baseUrl: string, stats: HttpStats) {
    this.baseUrl = baseUrl;
    this.stats = stats;
  }

  /** One request; the body is read whole. Rejects only on a network failure (after counting it). */
  async send(
    op: string,
    method: string,
    path: string,
    options: {
      token?: string;
      json?: unknown;
      raw?: Uint8Array;
      headers?: Record<string, string>;
      binary?: boolean;
    } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: BodyInit | undefined;
    if (options.raw) body = new Blob([options.raw as Uint8Array<ArrayBuffer>]);
    else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers["content-type"] = "application/json";
    }
    this.stats.requests++;
    let response: Response;
    let text = "";
    let bytes = 0;
    try {
      response = await fetch(new URL(path, this.baseUrl), {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(60_000),
      });
      if (options.binary) bytes = (await response.arrayBuffer()).byteLength;
      else {
        text = await response.text();
        bytes = text.length;
      }
    } catch (error) {
      this.stats.networkErrors++;
      this.stats.record({ op, method, path, status: "network", detail: String(error) });
      throw error;
    }
    this.stats.byStatus.set(response.status, (this.stats.byStatus.get(response.status) ?? 0) + 1);
    if (response.status >= 500) {
      this.stats.serverErrors++;
      this.stats.record({ op, method, path, status: response.status, detail: text.slice(0, 300) });
    }
    return { status: response.status, headers: response.headers, text, bytes };
  }

  /** `send`, then the JSON body when the status is `expected`; otherwise counts it as unexpected and throws. */
  async json<T = any>(
    op: string,
    method: string,
    path: string,
    expected: number,
    options: Parameters<Http["send"]>[3] = {},
  ): Promise<T> {
    const reply = await this.send(op, method, path, options);
    if (reply.status !== expected) {
      const key = `${op} ${reply.status}`;
      this.stats.unexpected.set(key, (this.stats.unexpected.get(key) ?? 0) + 1);
      if (reply.status < 500)
        this.stats.record({ op, method, path, status: reply.status, detail: reply.text.slice(0, 300) });
      throw new UnexpectedStatus(`${method} ${path}: ${reply.status} ${reply.text.slice(0, 200)}`);
    }
    return (reply.text ? JSON.parse(reply.text) : null) as T;
  }
}

export class UnexpectedStatus extends Error {}

const TOKEN_REFRESH_AFTER_MS = 10 * 60_000;

export class User {
  private tokenAt = Date.now();
  private refreshing: Promise<void> | undefined;

  private readonly http: Http;
  readonly id: string;
  readonly username: string;
  private accessToken: string;
  private cookie: string;

  private constructor(http: Http, id: string, username: string, accessToken: string, cookie: string) {
    this.http = http;
    this.id = id;
    this.username = username;
    this.accessToken = accessToken;
    this.cookie = cookie;
  }

  static async register(http: Http, username: string): Promise<User> {
    const reply = await http.send("setup", "POST", "/api/v1/auth/register", {
      json: { email: `${username}@example.test`, username, password: "soak test password 2026" },
    });
    if (reply.status !== 201) throw new Error(`register ${username}: ${reply.status} ${reply.text}`);
    const body = JSON.parse(reply.text);
    // Unverified accounts may not upload or chat; the e2e stack keeps mail in the development outbox.
    await verifyEmailThroughOutbox(http.baseUrl, body.user.email);
    return new User(http, body.user.id, username, body.accessToken, refreshCookie(reply.headers));
  }

  /** The access token, refreshed first when it is getting old. */
  async token(): Promise<string> {
    if (Date.now() - this.tokenAt > TOKEN_REFRESH_AFTER_MS) {
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = undefined;
      });
      await this.refreshing;
    }
    return this.accessToken;
  }

  private async refresh(): Promise<void> {
    const reply = await this.http.send("refresh", "POST", "/api/v1/auth/refresh", { headers: { cookie: this.cookie } });
    if (reply.status !== 200) throw new Error(`refresh ${this.username}: ${reply.status} ${reply.text}`);
    this.accessToken = JSON.parse(reply.text).accessToken;
    this.cookie = refreshCookie(reply.headers);
    this.tokenAt = Date.now();
  }
}

function refreshCookie(headers: Headers): string {
  const cookie = headers.getSetCookie().find((c) => c.startsWith("veza_refresh="));
  if (!cookie) throw new Error("no refresh cookie in the answer");
  return cookie.split(";")[0] as string;
}
