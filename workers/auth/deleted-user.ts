// The one "deleted user" account. When an account is deleted, the comments and chat messages it
// wrote stay (a conversation keeps its shape) but point here, so no trace of who wrote them is
// left. No dependencies: the web app imports the id to show the author in the reader's language.

export const DELETED_USER_ID = "deleted-user";
/** Not a valid registration name (hyphen), so nobody can ever hold it. */
export const DELETED_USERNAME = "deleted-user";
export const DELETED_DISPLAY_NAME = "deleted user";

/**
 * The statements that make sure the account exists (status `deleted`: it cannot sign in and has no
 * profile) and stays out of user search. Safe to run any number of times.
 */
export function ensureDeletedUser(d1: D1Database): D1PreparedStatement[] {
  return [
    d1
      .prepare(
        `INSERT OR IGNORE INTO users (id, email, username, display_name, password_hash, status, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, '!', 'deleted', 0, 0)`,
      )
      .bind(DELETED_USER_ID, `${DELETED_USER_ID}@deleted.invalid`, DELETED_USERNAME, DELETED_DISPLAY_NAME),
    d1.prepare("DELETE FROM users_fts WHERE user_id = ?1").bind(DELETED_USER_ID),
  ];
}
