/**
 * Opens the verification link a development server mailed to `email` (read from its outbox,
 * `GET /api/v1/dev/outbox`): uploads, comments and chat need a verified address.
 */
export async function verifyEmailThroughOutbox(baseUrl: string, email: string): Promise<void> {
  const outbox = await fetch(new URL(`/api/v1/dev/outbox?to=${encodeURIComponent(email)}`, baseUrl));
  if (!outbox.ok) throw new Error(`the outbox answered ${outbox.status}: is ENVIRONMENT=development?`);
  const { items } = (await outbox.json()) as { items: { subject: string; text: string }[] };
  const mail = items.find((item) => item.subject === "Confirm your email address");
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1];
  if (!token) throw new Error(`no verification mail for ${email}`);
  const verified = await fetch(new URL("/api/v1/auth/verify-email", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (verified.status !== 204) throw new Error(`verify-email answered ${verified.status}: ${await verified.text()}`);
}

/** A small HTTP client for driving the running product as an outside client would. */
export class ApiClient {
  token = "";
  readonly baseUrl: string;
  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (this.token) (init.headers as Record<string, string>).authorization = `Bearer ${this.token}`;
    if (body instanceof Uint8Array) init.body = new Blob([body as Uint8Array<ArrayBuffer>]);
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] = "application/json";
    }
    return fetch(new URL(path, this.baseUrl), init);
  }

  async json<T = any>(method: string, path: string, body?: unknown, expectStatus?: number): Promise<T> {
    const response = await this.request(method, path, body);
    const text = await response.text();
    if (expectStatus !== undefined && response.status !== expectStatus) {
      throw new Error(`${method} ${path}: expected ${expectStatus}, got ${response.status}: ${text}`);
    }
    return (text ? JSON.parse(text) : null) as T;
  }

  async register(prefix = "user"): Promise<{ id: string; username: string }> {
    const username = `${prefix}_${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
    const body = await this.json(
      "POST",
      "/api/v1/auth/register",
      { email: `${username}@example.test`, username, password: "a long enough password" },
      201,
    );
    this.token = body.accessToken;
    await this.verifyEmail(body.user.email);
    return { ...body.user, emailVerified: true };
  }

  async verifyEmail(email: string): Promise<void> {
    await verifyEmailThroughOutbox(this.baseUrl, email);
  }

  /** Uploads `bytes` in parts as the web app does; returns the completed (processing) track. */
  async upload(bytes: Uint8Array, filename: string, contentType: string, title?: string): Promise<any> {
    const created = await this.json(
      "POST",
      "/api/v1/uploads",
      { filename, size: bytes.length, contentType, title },
      201,
    );
    const parts = Math.max(1, Math.ceil(bytes.length / created.partSize));
    for (let n = 1; n <= parts; n++) {
      const slice = bytes.subarray((n - 1) * created.partSize, n * created.partSize);
      await this.json("PUT", `/api/v1/uploads/${created.uploadId}/parts/${n}`, slice, 200);
    }
    const completed = await this.json("POST", `/api/v1/uploads/${created.uploadId}/complete`, undefined, 202);
    return completed.track;
  }

  async waitForStatus(trackId: string, wanted: string[], timeoutMs = 60_000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    let track: any;
    while (Date.now() < deadline) {
      track = await this.json("GET", `/api/v1/tracks/${trackId}`, undefined, 200);
      if (wanted.includes(track.status)) return track;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`track ${trackId} still ${track?.status} after ${timeoutMs} ms`);
  }
}
