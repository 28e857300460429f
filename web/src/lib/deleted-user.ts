import { DELETED_USER_ID, DELETED_USERNAME } from "../../../workers/auth/deleted-user.ts";
import type { Translate } from "../i18n/i18n.ts";

/** Comments and chat messages of deleted accounts point to one "deleted user"; shown in the reader's language. */
export function isDeletedUser(who: { id?: string; userId?: string; username?: string }): boolean {
  return who.id === DELETED_USER_ID || who.userId === DELETED_USER_ID || who.username === DELETED_USERNAME;
}

export function authorName(
  t: Translate,
  who: { id?: string; userId?: string; username?: string; displayName: string },
) {
  return isDeletedUser(who) ? t("user.deleted") : who.displayName;
}
