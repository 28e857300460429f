import { createRoute } from "@hono/zod-openapi";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { forbidden, notFound } from "../../shared/errors.ts";
import {
  createRouter,
  endpoint,
  errorResponse,
  IdParams,
  jsonBody,
  jsonResponse,
  pageOf,
} from "../../shared/openapi.ts";
import { clientIp, enforceRateLimit } from "../rate-limit.ts";
import { reauthenticate } from "../reauth.ts";
import { signedIn } from "../route-presets.ts";
import { signedInResponse } from "../routes.ts";
import { SessionResponse } from "../schemas.ts";
import { findUserById } from "../users.ts";
import { consumeChallenge, invalidChallenge, issueChallenge } from "./challenges.ts";
import {
  authenticationOptions,
  deletePasskey,
  listPasskeys,
  passkeyRejected,
  registerPasskey,
  registrationOptions,
  toPasskeySummary,
  verifyPasskeyAssertion,
} from "./passkeys.ts";
import { AddPasskeyBody, CurrentPasswordBody, PasskeyCeremony, PasskeyLoginBody, PasskeySchema } from "./schemas.ts";

const list = createRoute({
  ...endpoint("get", "/me/passkeys", "me"),
  ...signedIn({ 200: jsonResponse(pageOf(PasskeySchema), "Your passkeys, newest first") }),
});

const registrationStart = createRoute({
  ...endpoint("post", "/me/passkeys/options", "me"),
  summary: "Start adding a passkey (needs the current password): options for navigator.credentials.create()",
  request: jsonBody(CurrentPasswordBody),
  ...signedIn({
    200: jsonResponse(PasskeyCeremony, "A single-use challenge and the creation options"),
    403: errorResponse("The password is wrong"),
    409: errorResponse("Too many passkeys already"),
  }),
});

const add = createRoute({
  ...endpoint("post", "/me/passkeys", "me"),
  summary: "Finish adding a passkey with the browser's response",
  request: jsonBody(AddPasskeyBody),
  ...signedIn({
    201: jsonResponse(PasskeySchema, "The new passkey"),
    400: errorResponse("The response does not verify against the challenge"),
    409: errorResponse("Already registered"),
  }),
});

const remove = createRoute({
  ...endpoint("delete", "/me/passkeys/{id}", "me"),
  summary: "Remove a passkey (needs the current password)",
  request: { params: IdParams.extend({ id: IdParams.shape.id.max(1024) }), ...jsonBody(CurrentPasswordBody) },
  ...signedIn({
    204: { description: "Removed" },
    403: errorResponse("The password is wrong"),
    404: errorResponse("No such passkey"),
  }),
});

const loginStart = createRoute({
  ...endpoint("post", "/auth/passkey/options", "auth"),
  summary: "Start signing in with a passkey (no password): options for navigator.credentials.get()",
  responses: {
    200: jsonResponse(PasskeyCeremony, "A single-use challenge and the request options"),
    429: errorResponse("Rate limited; see Retry-After"),
  },
});

const login = createRoute({
  ...endpoint("post", "/auth/passkey/login", "auth"),
  summary: "Sign in with a passkey: the browser's signed answer to the challenge",
  request: jsonBody(PasskeyLoginBody),
  responses: {
    200: jsonResponse(SessionResponse, "Signed in"),
    400: errorResponse("The request is not valid"),
    401: errorResponse("Unknown passkey, bad signature, or an expired or used challenge"),
    429: errorResponse("Rate limited; see Retry-After"),
  },
});

export const passkeyRoutes = createRouter()
  .openapi(list, async (c) => {
    const rows = await listPasskeys(c.env.DB, c.var.viewer.id);
    return c.json({ items: rows.map(toPasskeySummary), nextCursor: null }, 200);
  })
  .openapi(registrationStart, async (c) => {
    const user = await reauthenticate(c.env, c.var.viewer.id, c.req.valid("json").password);
    const options = await registrationOptions(c.env, user, await listPasskeys(c.env.DB, user.id));
    const challenge = await issueChallenge(c.env.DB, "passkey_register", user.id, options.challenge);
    return c.json({ challenge, options: options as unknown as Record<string, unknown> }, 200);
  })
  .openapi(add, async (c) => {
    const body = c.req.valid("json");
    const ceremony = await consumeChallenge(c.env.DB, "passkey_register", body.challenge);
    if (!ceremony?.webauthnChallenge) throw invalidChallenge();
    if (ceremony.userId !== c.var.viewer.id) throw forbidden("This challenge was issued to another account.");
    const row = await registerPasskey(
      c.env,
      c.var.viewer.id,
      body.name,
      ceremony.webauthnChallenge,
      body.response as unknown as RegistrationResponseJSON,
    );
    return c.json(toPasskeySummary(row), 201);
  })
  .openapi(remove, async (c) => {
    const userId = c.var.viewer.id;
    await reauthenticate(c.env, userId, c.req.valid("json").password);
    if (!(await deletePasskey(c.env.DB, userId, c.req.valid("param").id))) throw notFound("Passkey");
    return c.body(null, 204);
  })
  .openapi(loginStart, async (c) => {
    await enforceRateLimit(c.env, "login:ip", clientIp(c));
    const options = await authenticationOptions(c.env, undefined, "required");
    const challenge = await issueChallenge(c.env.DB, "passkey_login", null, options.challenge);
    return c.json({ challenge, options: options as unknown as Record<string, unknown> }, 200);
  })
  .openapi(login, async (c) => {
    await enforceRateLimit(c.env, "login:ip", clientIp(c));
    const body = c.req.valid("json");
    // Used up before the signature is checked: a challenge gets one answer, right or wrong.
    const ceremony = await consumeChallenge(c.env.DB, "passkey_login", body.challenge);
    if (!ceremony?.webauthnChallenge) throw invalidChallenge();
    const passkey = await verifyPasskeyAssertion(
      c.env,
      ceremony.webauthnChallenge,
      body.response as unknown as AuthenticationResponseJSON,
      { requireUserVerification: true },
    );
    const row = await findUserById(c.env.DB, passkey.userId);
    if (!row || row.status !== "active") throw passkeyRejected("This account cannot sign in.");
    return c.json(await signedInResponse(c, row, "passkey"), 200);
  });
