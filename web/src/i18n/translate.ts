import { en, type MessageKey, type Messages, type Plural } from "./en.ts";
import { fr } from "./fr.ts";

/**
 * Translation without React or storage, for the app and the service worker alike (web/src/sw/):
 * the locale tables and `translate`. Components use `useT` from i18n.ts.
 */

export const LOCALES = { en, fr } satisfies Record<string, Messages>;
export type Locale = keyof typeof LOCALES;
export type { MessageKey };

export type Vars = Record<string, string | number>;

/** The first of `languages` (BCP 47 tags, best first) the app speaks; English otherwise. */
export function detectLocale(languages: readonly string[] = navigator.languages ?? [navigator.language]): Locale {
  for (const language of languages) {
    const base = language.toLowerCase().split("-")[0];
    if (base && base in LOCALES) return base as Locale;
  }
  return "en";
}

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
