/** What a sign-in answer may carry beyond the user and token (see SessionResponse in the Worker). */
export type SignInExtras = { deletionCancelled?: { wasScheduledFor: string } };

/**
 * Where to go once signed in: home, or "Your data" with a notice when this sign-in cancelled the
 * account's scheduled deletion (the user must learn it did).
 */
export function pathAfterSignIn(body: SignInExtras): string {
  const cancelled = body.deletionCancelled?.wasScheduledFor;
  return cancelled ? `/settings/data?cancelled=${encodeURIComponent(cancelled)}` : "/";
}
