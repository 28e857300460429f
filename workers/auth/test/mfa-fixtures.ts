import { Secret, TOTP } from "otpauth";
import { call, json, type TestUser } from "../../test/http.ts";

/** The code an authenticator app shows for `secret`, `offsetSteps` 30-second steps from now. */
export function totpCode(secret: string, offsetSteps = 0): string {
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
  return totp.generate({ timestamp: Date.now() + offsetSteps * 30_000 });
}

export type MfaUser = TestUser & { secret: string; recoveryCodes: string[]; confirmCode: string };

/** Turns two-step sign-in on for a user through the API, as the settings page does. */
export async function enableTotp(user: TestUser): Promise<MfaUser> {
  const setup = await call("POST", "/api/v1/me/mfa/totp", { token: user.token });
  if (setup.status !== 200) throw new Error(`totp setup failed: ${setup.status} ${await setup.text()}`);
  const { secret } = await json(setup);
  const confirmCode = totpCode(secret);
  const confirm = await call("POST", "/api/v1/me/mfa/totp/confirm", { token: user.token, body: { code: confirmCode } });
  if (confirm.status !== 200) throw new Error(`totp confirm failed: ${confirm.status} ${await confirm.text()}`);
  return { ...user, secret, confirmCode, recoveryCodes: (await json(confirm)).recoveryCodes };
}

/** The first step of a sign-in: the password, answered by a challenge when two-step sign-in is on. */
export async function passwordStep(user: TestUser, ip?: string) {
  const response = await call("POST", "/api/v1/auth/login", {
    body: { login: user.username, password: user.password },
    ip,
  });
  return { response, body: await json(response) };
}

export function secondStep(challenge: string, answer: { code?: string; passkey?: unknown }, ip?: string) {
  return call("POST", "/api/v1/auth/login/mfa", { body: { challenge, ...answer }, ip });
}
