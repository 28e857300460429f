/** The one i18n layer: every UI string goes through `t`, plurals through Intl.PluralRules. */
import { useMemo } from "react";
import { create } from "zustand";
import { persist } from "zustand/middleware";
import { detectLocale, type Locale, type MessageKey, translate, type Vars } from "./translate.ts";

export { detectLocale, LOCALES, type Locale, type MessageKey, translate } from "./translate.ts";

type LocaleState = { chosen: Locale | null; choose: (locale: Locale | null) => void };

/** The listener's choice of language (null: follow the browser), saved across visits. */
export const useLocaleChoice = create<LocaleState>()(
  persist((set) => ({ chosen: null, choose: (chosen) => set({ chosen }) }), { name: "veza:locale" }),
);

export const currentLocale = (): Locale => useLocaleChoice.getState().chosen ?? detectLocale();

/** Outside React (stores, the service worker bridge): the current locale's translation. */
export const t = (key: MessageKey, vars?: Vars) => translate(currentLocale(), key, vars);

export type Translate = typeof t;

/** In components: a `t` bound to the current locale, re-rendering when it changes. */
export function useT(): Translate {
  const chosen = useLocaleChoice((s) => s.chosen);
  const locale = chosen ?? detectLocale();
  return useMemo(() => (key, vars) => translate(locale, key, vars), [locale]);
}

export function useLocale(): Locale {
  return useLocaleChoice((s) => s.chosen) ?? detectLocale();
}
