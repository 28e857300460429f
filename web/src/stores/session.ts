import { create } from "zustand";
import type { SelfUser } from "../../../workers/auth/users.ts";

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
  signedIn: (user, accessToken) => set({ user, accessToken }),
  tokenRefreshed: (accessToken) => set({ accessToken }),
  signedOut: () => set({ user: null, accessToken: null }),
  markRestored: () => set({ restored: true }),
}));
