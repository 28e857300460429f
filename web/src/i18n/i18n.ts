import { useMemo } from "react";
import { create } from "zustand";
import { persist } from "zustand/middleware";
import { en, type MessageKey, type Messages, type Plural } from "./en.ts";
import { fr } from "./fr.ts";

/** The one i18n layer: every UI string goes through `t`, plurals through Intl.PluralRules. */

export const LOCALES = { en, fr } satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export type { MessageKey };

type Vars = Record<string, string | number>;

export function detectLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (base && base in LOCALES) return base as Locale;
  }
  return "en";
}

type LocaleState = { chosen: Locale | null; choose: (locale: Locale | null) => void };

/** The listener's choice of language (null: follow the browser), saved across visits. */
export const useLocaleChoice = create<LocaleState>()(
  persist((set) => ({ chosen: null, choose: (chosen) => set({ chosen }) }), { name: "veza:locale" }),
);

export const currentLocale = (): Locale => useLocaleChoice.getState().chosen ?? detectLocale();

const pluralRules = new Map<Locale, Intl.PluralRules>();
const numberFormats = new Map<Locale, Intl.NumberFormat>();

function cached<T>(map: Map<Locale, T>, locale: Locale, make: () => T): T {
  let value = map.get(locale);
  if (!value) {
    value = make();
    map.set(locale, value);
  }
  return value;
}

function interpolate(text: string, vars: Vars | undefined, locale: Locale): string {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    if (typeof value !== "number") return value;
    return cached(numberFormats, locale, () => new Intl.NumberFormat(locale)).format(value);
  });
}

/** Translates `key` in `locale`; a plural message picks its form from `vars.count`. */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const message = (LOCALES[locale] as Messages)[key] ?? en[key];
  if (typeof message === "string") return interpolate(message, vars, locale);
  const rules = cached(pluralRules, locale, () => new Intl.PluralRules(locale));
  const count = Number(vars?.count ?? 0);
  const forms = message as Plural;
  const form = count === 0 && forms.zero ? forms.zero : (forms[rules.select(count) as keyof Plural] ?? forms.other);
  return interpolate(form, vars, locale);
}

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
