import { ApiError } from "../shared/errors.ts";
import { COMMON_PASSWORDS } from "./common-passwords.gen.ts";

// NIST SP 800-63B 3.1.1.2: at least 8 characters (the schema's rule), no composition rules, but
// refuse passwords known to be commonly used or compromised, repetitive ones, ones made of the
// account's own name, and (on a change) the current password again.

let common: Set<string> | undefined;

function isCommon(password: string): boolean {
  common ??= new Set(COMMON_PASSWORDS.split("\n"));
  const folded = password.toLowerCase();
  // "Password1!" is as guessable as "password": also try it without trailing digits and symbols.
  return common.has(folded) || common.has(folded.replace(/[\d\W_]+$/u, ""));
}

export type WeakPasswordReason = "blank" | "repetitive" | "common" | "personal" | "reused";

const MESSAGES: Record<WeakPasswordReason, string> = {
  blank: "The password cannot be only spaces.",
  repetitive: "The password cannot be one character repeated.",
  common: "This password is one of the most commonly used ones, which attackers try first. Choose another.",
  personal: "The password cannot be your username or email address.",
  reused: "The new password must differ from the current one.",
};

export function weakPassword(reason: WeakPasswordReason): ApiError {
  return new ApiError(400, "weak_password", MESSAGES[reason], { reason });
}

/** Why this password would be refused for this account, or undefined when it is acceptable. */
export function weakPasswordReason(
  password: string,
  account: { username: string; email: string },
): WeakPasswordReason | undefined {
  const compact = password.replace(/\s+/gu, "");
  if (compact.length === 0) return "blank";
  if (/^(.)\1*$/su.test(compact)) return "repetitive";
  const folded = compact.toLowerCase();
  if (folded === account.username.toLowerCase() || folded === account.email.toLowerCase()) return "personal";
  if (folded === account.email.split("@")[0]?.toLowerCase()) return "personal";
  if (isCommon(password) || isCommon(compact)) return "common";
  return undefined;
}

/** Throws 400 `weak_password` (details.reason says which rule) for a password that must be refused. */
export function assertAcceptablePassword(password: string, account: { username: string; email: string }): void {
  const reason = weakPasswordReason(password, account);
  if (reason) throw weakPassword(reason);
}
