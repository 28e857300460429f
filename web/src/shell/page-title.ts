import { create } from "zustand";

/** The current page's title, set by its <PageTitle>; the shell announces it and puts it in the tab title. */
export const usePageTitle = create<{ title: string; seq: number; set: (title: string) => void }>((set) => ({
  title: "",
  seq: 0,
  set: (title) => set((s) => ({ title, seq: s.seq + 1 })),
}));
