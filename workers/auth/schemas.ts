import { z } from "@hono/zod-openapi";
import { ROLES } from "../db/schema/index.ts";
import { patchBody } from "../shared/openapi.ts";
import { displayNameProblem, isReservedUsername } from "./names.ts";

export const Username = z
  .string()
  .trim()
  .min(3)
  .max(30)
  .regex(/^[A-Za-z0-9_]+$/, "Use letters, digits and underscores only.")
  .transform((s) => s.toLowerCase())
  .refine((s) => !isReservedUsername(s), "This username is reserved.");
export const Password = z.string().min(8, "Use at least 8 characters.").max(256);
/** NFKC-normalised (full-width and compatibility forms folded) and trimmed, then checked. */
export const DisplayName = z
  .string()
  .max(240)
  .transform((s) => s.normalize("NFKC").trim())
  .pipe(
    z
      .string()
      .min(1)
      .max(60)
      .superRefine((name, ctx) => {
        const problem = displayNameProblem(name);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
  );

export const SelfUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    bio: z.string(),
    avatarUrl: z.string().nullable(),
    createdAt: z.string(),
    emailVerified: z.boolean(),
  })
  .openapi("SelfUser");

export const RegisterBody = z.object({
  email: z
    .email()
    .max(254)
    .transform((s) => s.toLowerCase()),
  username: Username,
  password: Password,
  displayName: DisplayName.optional(),
});

export const LoginBody = z.object({
  login: z.string().trim().min(1).max(254),
  password: z.string().min(1).max(256),
});

export const SessionResponse = z
  .object({
    user: SelfUserSchema,
    accessToken: z.string(),
    /** Present when this sign-in cancelled the account's scheduled deletion. */
    deletionCancelled: z.object({ wasScheduledFor: z.string() }).optional(),
  })
  .openapi("Session");
export const AccessTokenResponse = z.object({ accessToken: z.string() });

export const UpdateMeBody = patchBody({ displayName: DisplayName, bio: z.string().max(2000) });

export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password });

/** Every admin action says why; the reason goes in the audit log. */
export const AdminReason = z.string().trim().min(1, "Say why: the reason is recorded in the audit log.").max(500);
