import { z } from "@hono/zod-openapi";

/** A 6-digit code from the authenticator app, or a recovery code (`xxxxx-xxxxx`). */
export const SecondFactorCode = z.string().trim().min(6).max(40);

/** What the browser's WebAuthn call returned (@simplewebauthn/browser's JSON); the verifier checks the rest. */
const WebAuthnCredentialJson = z.object({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  clientExtensionResults: z.unknown(),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
});
const base64urlField = (max: number) => z.string().max(max);
export const RegistrationCredential = WebAuthnCredentialJson.extend({
  response: z.object({
    clientDataJSON: base64urlField(8192),
    attestationObject: base64urlField(65536),
    transports: z.array(z.string().max(20)).max(10).optional(),
  }),
}).openapi("PasskeyRegistrationResponse");
export const AssertionCredential = WebAuthnCredentialJson.extend({
  response: z.object({
    clientDataJSON: base64urlField(8192),
    authenticatorData: base64urlField(8192),
    signature: base64urlField(1024),
    userHandle: base64urlField(1024).optional(),
  }),
}).openapi("PasskeyAssertion");

/** WebAuthn options as @simplewebauthn/browser takes them (`optionsJSON`). */
const WebAuthnOptions = z.record(z.string(), z.unknown()).openapi("WebAuthnOptions");

export const MfaMethod = z.enum(["totp", "recovery_code", "passkey"]);

export const MfaRequiredResponse = z
  .object({
    mfaRequired: z.literal(true),
    challenge: z.string().openapi({ description: "Answer with POST /api/v1/auth/login/mfa within 5 minutes; once." }),
    methods: z.array(MfaMethod),
    passkeyOptions: WebAuthnOptions.optional().openapi({
      description: "Present when the account has passkeys: options for navigator.credentials.get()",
    }),
  })
  .openapi("MfaRequired");

export const LoginMfaBody = z
  .object({
    challenge: z.string().min(1).max(200),
    code: SecondFactorCode.optional(),
    passkey: AssertionCredential.optional(),
  })
  .refine((body) => (body.code === undefined) !== (body.passkey === undefined), "Send either a code or a passkey.");

export const CurrentPasswordBody = z.object({ password: z.string().min(1).max(256) });

export const MfaStatus = z
  .object({
    totp: z.enum(["off", "pending", "on"]),
    recoveryCodesLeft: z.number().int(),
    passkeys: z.number().int(),
  })
  .openapi("MfaStatus");

export const TotpSetup = z
  .object({
    secret: z.string().openapi({ description: "Base32, for typing into an app by hand" }),
    otpauthUrl: z.string().openapi({ description: "otpauth://totp/… for a QR code" }),
  })
  .openapi("TotpSetup");
export const TotpConfirmBody = z.object({ code: z.string().trim().min(6).max(10) });
export const RecoveryCodesResponse = z
  .object({ recoveryCodes: z.array(z.string()).openapi({ description: "Shown this once; each works once" }) })
  .openapi("RecoveryCodes");

export const PasskeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    synced: z.boolean().openapi({ description: "A passkey synced across devices (multi-device credential)" }),
  })
  .openapi("Passkey");
export const PasskeyName = z.string().trim().min(1).max(60);
export const PasskeyCeremony = z.object({ challenge: z.string(), options: WebAuthnOptions }).openapi("PasskeyCeremony");
export const AddPasskeyBody = z.object({
  challenge: z.string().min(1).max(200),
  name: PasskeyName,
  response: RegistrationCredential,
});
export const PasskeyLoginBody = z.object({ challenge: z.string().min(1).max(200), response: AssertionCredential });
