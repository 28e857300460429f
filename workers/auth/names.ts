// What a username or display name may be: nothing that impersonates the platform or its staff,
// and nothing invisible or direction-changing that makes one name look like another.

/** Reserved usernames (compared lowercased): the platform, its staff and system words, routes. */
const RESERVED_USERNAMES = new Set([
  "admin",
  "administrator",
  "root",
  "system",
  "sysadmin",
  "superuser",
  "veza",
  "official",
  "staff",
  "support",
  "help",
  "helpdesk",
  "moderator",
  "mod",
  "mods",
  "security",
  "abuse",
  "postmaster",
  "hostmaster",
  "webmaster",
  "noreply",
  "no_reply",
  "info",
  "contact",
  "team",
  "owner",
  "api",
  "rest",
  "www",
  "mail",
  "email",
  "null",
  "undefined",
  "anonymous",
  "everyone",
  "here",
  "me",
  "you",
  "user",
  "users",
  "login",
  "logout",
  "register",
  "signup",
  "signin",
  "settings",
  "upload",
  "uploads",
  "search",
  "tracks",
  "playlists",
  "albums",
  "rooms",
  "dms",
  "status",
  "health",
  "dev",
  "test",
]);
/** Usernames starting with these read as the platform's own accounts. */
const RESERVED_PREFIXES = ["veza", "admin", "moderator", "official_", "support_", "staff_"];

export function isReservedUsername(username: string): boolean {
  const name = username.toLowerCase();
  return RESERVED_USERNAMES.has(name) || RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix));
}

/** Words a display name may not contain: it would pass for the platform or its staff. */
const RESERVED_DISPLAY_WORDS =
  /(^|[^\p{L}\p{N}])(veza|admin|administrator|moderator|staff|official)($|[^\p{L}\p{N}])/iu;

// Control and format characters (bidi overrides and isolates, zero-width spaces, BOM, soft
// hyphen...), private-use, unassigned, and line/paragraph separators. The zero-width joiner and
// non-joiner are allowed between two visible characters: emoji sequences and some scripts need them.
const INVISIBLE = /[\p{Cc}\p{Co}\p{Cn}\p{Zl}\p{Zp}]|(?![\u200c\u200d])\p{Cf}/u;
const LONE_JOINER = /(^|\s)[\u200c\u200d]|[\u200c\u200d]($|\s)/u;
const VISIBLE = /[\p{L}\p{N}\p{S}\p{P}]/u;

/** Why a display name (already NFKC-normalised and trimmed) is refused, or undefined. */
export function displayNameProblem(name: string): string | undefined {
  if (INVISIBLE.test(name) || LONE_JOINER.test(name)) {
    return "Display names cannot contain invisible, control or text-direction characters.";
  }
  if (!VISIBLE.test(name)) return "Display names need at least one visible character.";
  if (RESERVED_DISPLAY_WORDS.test(name)) return "Display names cannot pass for Veza or its staff.";
  return undefined;
}
