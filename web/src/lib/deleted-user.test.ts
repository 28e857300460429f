import { describe, expect, it } from "vitest";
import { DELETED_USER_ID } from "../../../workers/auth/deleted-user.ts";
import { pathAfterSignIn } from "../account/after-sign-in.ts";
import { filenameOf } from "../account/data-export.ts";
import { t, useLocaleChoice } from "../i18n/i18n.ts";
import { authorName } from "./deleted-user.ts";

describe("a deleted account's comments and messages", () => {
  it("name their author in the reader's language, and leave everyone else's name alone", () => {
    useLocaleChoice.getState().choose("fr");
    expect(authorName(t, { userId: DELETED_USER_ID, displayName: "deleted user" })).toBe("utilisateur supprimé");
    useLocaleChoice.getState().choose("en");
    expect(authorName(t, { username: "deleted-user", displayName: "x" })).toBe("deleted user");
    expect(authorName(t, { id: "u1", username: "ada", displayName: "Ada" })).toBe("Ada");
    useLocaleChoice.getState().choose(null);
  });
});

describe("after signing in", () => {
  it("goes to Your data with a notice when the sign-in cancelled a deletion, home otherwise", () => {
    expect(pathAfterSignIn({})).toBe("/");
    expect(pathAfterSignIn({ deletionCancelled: { wasScheduledFor: "2026-12-06T10:00:00.000Z" } })).toBe(
      "/settings/data?cancelled=2026-12-06T10%3A00%3A00.000Z",
    );
  });
});

describe("the export's file name", () => {
  it("comes from Content-Disposition, with a fallback", () => {
    expect(filenameOf('attachment; filename="veza-export-ada-2026-11-29.json"')).toBe(
      "veza-export-ada-2026-11-29.json",
    );
    expect(filenameOf(null)).toBe("veza-export.json");
  });
});
