// A small OAuth 2 provider that speaks like GitHub, Google and Discord do (their paths and JSON
// shapes under /github, /google and /discord), for tests: the Worker's OAUTH_<P>_BASE_URL points
// here. It enforces what the real ones do: known client and secret, the same redirect_uri, single-use
// codes, and PKCE S256 (a token request must carry the verifier whose hash the authorization had).
//
// Its authorization page is a form (account id, login, name, email, "verified") for a browser test
// to fill in; a test without a browser passes the same fields as query parameters: fake_id,
// fake_login, fake_name, fake_email, fake_verified=1, or fake_deny=1 to refuse.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

export type FakeClient = { clientId: string; clientSecret: string };
export type FakeClients = Partial<Record<Flavor, FakeClient>>;
export type FakeAccount = { id: string; login: string; name: string; email: string | null; verified: boolean };

type Flavor = "github" | "google" | "discord";
type Grant = { flavor: Flavor; clientId: string; redirectUri: string; challenge: string; account: FakeAccount };

const AUTHORIZE: Record<string, Flavor> = {
  "/github/login/oauth/authorize": "github",
  "/google/o/oauth2/v2/auth": "google",
  "/discord/oauth2/authorize": "discord",
};
const TOKEN: Record<string, Flavor> = {
  "/github/login/oauth/access_token": "github",
  "/google/token": "google",
  "/discord/api/oauth2/token": "discord",
};

const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": typeof body === "string" ? "text/html; charset=utf-8" : "application/json",
    ...headers,
  });
  res.end(text);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return new URLSearchParams(text);
}

function consentPage(flavor: Flavor, query: URLSearchParams): string {
  const hidden = [...query.entries()]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("");
  const field = (name: string, label: string, type = "text") =>
    `<label>${label} <input name="${name}" type="${type}"></label><br>`;
  return `<!doctype html><html lang="en"><head><title>Fake ${flavor} sign-in</title></head><body><main>
<h1>Sign in to fake ${flavor}</h1>
<form method="get">${hidden}
${field("fake_id", "Account id")}${field("fake_login", "Login")}${field("fake_name", "Name")}${field("fake_email", "Email", "email")}
<label><input name="fake_verified" type="checkbox" value="1"> Email verified</label><br>
<button type="submit">Authorize</button> <button type="submit" name="fake_deny" value="1">Cancel</button>
</form></main></body></html>`;
}

export type FakeOAuthProvider = { url: string; close: () => Promise<void> };

/** Starts the fake on a free port of 127.0.0.1; `clients` are the apps it knows, per provider. */
export async function startFakeOAuthProvider(clients: FakeClients): Promise<FakeOAuthProvider> {
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, { flavor: Flavor; account: FakeAccount }>();

  function authorize(flavor: Flavor, query: URLSearchParams, res: ServerResponse) {
    const client = clients[flavor];
    const redirectUri = query.get("redirect_uri");
    if (!client || query.get("client_id") !== client.clientId || !redirectUri) {
      return send(res, 400, "<p>Unknown application or missing redirect_uri.</p>");
    }
    const challenge = query.get("code_challenge");
    if (!challenge || query.get("code_challenge_method") !== "S256") {
      return send(res, 400, "<p>PKCE with S256 is required.</p>");
    }
    const back = new URL(redirectUri);
    const state = query.get("state");
    if (state) back.searchParams.set("state", state);
    if (query.get("fake_deny")) {
      back.searchParams.set("error", "access_denied");
      return send(res, 302, "", { location: back.toString() });
    }
    const id = query.get("fake_id");
    if (!id) return send(res, 200, consentPage(flavor, query));
    const code = randomBytes(16).toString("hex");
    grants.set(code, {
      flavor,
      clientId: client.clientId,
      redirectUri,
      challenge,
      account: {
        id,
        login: query.get("fake_login") ?? "",
        name: query.get("fake_name") ?? "",
        email: query.get("fake_email") || null,
        verified: query.get("fake_verified") === "1",
      },
    });
    back.searchParams.set("code", code);
    send(res, 302, "", { location: back.toString() });
  }

  async function token(flavor: Flavor, req: IncomingMessage, res: ServerResponse) {
    const form = await formBody(req);
    const client = clients[flavor];
    // GitHub reports a refused code with 200 and an error field; the others with a 400.
    const refuse = (error: string) => send(res, flavor === "github" ? 200 : 400, { error });
    if (!client || form.get("client_id") !== client.clientId || form.get("client_secret") !== client.clientSecret) {
      return send(res, 401, { error: "invalid_client" });
    }
    const code = form.get("code") ?? "";
    const grant = grants.get(code);
    grants.delete(code); // single use, refused or not
    if (!grant || grant.flavor !== flavor || grant.clientId !== client.clientId) return refuse("invalid_grant");
    if (form.get("redirect_uri") !== grant.redirectUri) return refuse("redirect_uri_mismatch");
    const verifier = form.get("code_verifier");
    if (!verifier || s256(verifier) !== grant.challenge) return refuse("invalid_grant");
    const accessToken = randomBytes(16).toString("hex");
    tokens.set(accessToken, { flavor, account: grant.account });
    send(res, 200, { access_token: accessToken, token_type: "bearer", scope: "" });
  }

  function api(path: string, req: IncomingMessage, res: ServerResponse) {
    const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? "")?.[1];
    const session = bearer ? tokens.get(bearer) : undefined;
    if (!session) return send(res, 401, { message: "Bad credentials" });
    const { flavor, account } = session;
    if (flavor === "github" && path === "/github/user") {
      if (!req.headers["user-agent"]) return send(res, 403, { message: "User-Agent required" });
      return send(res, 200, {
        id: Number(account.id) || account.id,
        login: account.login,
        name: account.name,
        email: null,
      });
    }
    if (flavor === "github" && path === "/github/user/emails") {
      return send(res, 200, account.email ? [{ email: account.email, primary: true, verified: account.verified }] : []);
    }
    if (flavor === "google" && path === "/google/v1/userinfo") {
      return send(res, 200, {
        sub: account.id,
        name: account.name,
        email: account.email ?? undefined,
        email_verified: account.verified,
      });
    }
    if (flavor === "discord" && path === "/discord/api/users/@me") {
      return send(res, 200, {
        id: account.id,
        username: account.login,
        global_name: account.name || null,
        email: account.email,
        verified: account.verified,
      });
    }
    send(res, 404, { message: "Not Found" });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const authorizeFlavor = AUTHORIZE[url.pathname];
    const tokenFlavor = TOKEN[url.pathname];
    if (req.method === "GET" && authorizeFlavor) return authorize(authorizeFlavor, url.searchParams, res);
    if (req.method === "POST" && tokenFlavor) {
      token(tokenFlavor, req, res).catch(() => send(res, 500, { error: "server_error" }));
      return;
    }
    if (req.method === "GET") return api(url.pathname, req, res);
    send(res, 405, { message: "Method not allowed" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  // Never keeps a test process alive on its own.
  server.unref();
  server.on("connection", (socket) => socket.unref());
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("the fake provider has no port");
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
