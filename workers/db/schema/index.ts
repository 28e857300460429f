// The single source of truth for D1: drizzle-kit generates migrations/ from these tables.
// One file per domain. Reads may join across domains; writes go through the owning domain's functions.
export * from "./auth.ts";
export * from "./catalog.ts";
export * from "./chat.ts";
export * from "./email.ts";
export * from "./media.ts";
export * from "./mfa.ts";
export * from "./ops.ts";
export * from "./push.ts";
export * from "./sign-in.ts";
export * from "./transcode.ts";
