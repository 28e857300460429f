// The single source of truth for D1: drizzle-kit generates migrations/ from these tables.
// One file per domain; a domain reads another's tables only through that domain's exported functions.
export * from "./auth.ts";
export * from "./catalog.ts";
export * from "./chat.ts";
export * from "./media.ts";
export * from "./transcode.ts";
