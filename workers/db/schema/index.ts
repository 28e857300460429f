// The single source of truth for D1: drizzle-kit generates migrations/ from these tables.
export * from "./auth.ts";
