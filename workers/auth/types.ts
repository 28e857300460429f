import type { Role } from "../db/schema/index.ts";

/** The signed-in user of a request, as the auth middleware puts it in `c.var.viewer`. */
export type AuthUser = {
  id: string;
  username: string;
  role: Role;
  displayName: string;
  /** Whether the account's email address is verified (see isEmailVerified). */
  emailVerified: boolean;
};
