import { describe, expect, it } from "vitest";
import { en } from "./en.ts";
import { fr } from "./fr.ts";
import { detectLocale, translate } from "./i18n.ts";

describe("i18n", () => {
  it("picks plural forms from Intl.PluralRules in each language", () => {
    expect(translate("en", "profile.followers", { count: 1 })).toBe("1 follower");
    expect(translate("en", "profile.followers", { count: 0 })).toBe("0 followers");
    expect(translate("en", "profile.followers", { count: 1200 })).toBe("1,200 followers");
    // French treats 0 and 1 as singular.
    expect(translate("fr", "profile.followers", { count: 0 })).toBe("0 abonné");
    expect(translate("fr", "profile.followers", { count: 1 })).toBe("1 abonné");
    expect(translate("fr", "profile.followers", { count: 2 })).toBe("2 abonnés");
  });

  it("fills in named values and leaves unknown ones visible", () => {
    expect(translate("en", "track.playLabel", { title: "Song", artist: "Ada" })).toBe("Play Song by Ada");
    expect(translate("fr", "track.playLabel", { title: "Song", artist: "Ada" })).toBe("Lire Song de Ada");
    expect(translate("en", "home.welcome")).toBe("Welcome, {name}");
  });

  it("has a French message for every English key, of the same shape", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(typeof fr[key], key).toBe(typeof en[key]);
      const placeholders = (text: unknown) =>
        JSON.stringify(text)
          .match(/\{\w+\}/g)
          ?.sort() ?? [];
      expect(new Set(placeholders(fr[key])), key).toEqual(new Set(placeholders(en[key])));
    }
  });

  it("follows the browser's first supported language", () => {
    expect(detectLocale(["fr-CA", "en"])).toBe("fr");
    expect(detectLocale(["de-DE", "en-GB"])).toBe("en");
    expect(detectLocale(["ja"])).toBe("en");
  });
});
