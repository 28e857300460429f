/** One line of the moderation audit log: who did what to which thing, and why. */
export type AuditEntry = {
  actorId: string;
  action: string;
  targetType: "user" | "track" | "comment" | "playlist" | "album";
  targetId: string;
  reason?: string;
  details?: Record<string, unknown>;
};
