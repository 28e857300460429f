import { create } from "zustand";
import type { SelfUser } from "../../../workers/api-types.ts";

/**
 * The refresh cookie is HttpOnly, so the app cannot see whether one exists; this flag (set while
 * signed in) says whether asking for a refresh is worth it, so a signed-out load sends no request
 * that is bound to fail (and logs no 401).
 */
const HINT = "veza:has-session";
const storage = () => (typeof localStorage === "undefined" ? null : localStorage);
export const hasSessionHint = () => storage()?.getItem(HINT) === "1";

type SessionState = {
  user: SelfUser | null;
  accessToken: string | null;
  /** True once the app has tried to restore a session from the refresh cookie. */
  restored: boolean;
  signedIn: (user: SelfUser, accessToken: string) => void;
  tokenRefreshed: (accessToken: string) => void;
  signedOut: () => void;
  markRestored: () => void;
};

export const useSession = create<SessionState>((set) => ({
  user: null,
  accessToken: null,
  restored: false,
  signedIn: (user, accessToken) => {
    storage()?.setItem(HINT, "1");
    set({ user, accessToken });
  },
  tokenRefreshed: (accessToken) => set({ accessToken }),
  signedOut: () => {
    storage()?.removeItem(HINT);
    set({ user: null, accessToken: null });
  },
  markRestored: () => set({ restored: true }),
}));
