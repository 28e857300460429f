/** At most this many words of a query reach the index; the rest would only narrow an AND further. */
const MAX_TOKENS = 8;
const MAX_TOKEN_LENGTH = 64;

/**
 * Turns what a user typed into an FTS5 MATCH expression that cannot carry FTS syntax: the text
 * is cut into words (letters, digits, combining marks: the same words the unicode61 tokenizer
 * indexes), each word is quoted, and the last gets `*` for prefix matching while typing, unless
 * the query ends with a space (the word is complete). Returns null when there is nothing to find.
 */
export function matchExpression(query: string): string | null {
  const words =
    query
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
  const tokens = words.slice(0, MAX_TOKENS).map((w) => w.slice(0, MAX_TOKEN_LENGTH));
  if (tokens.length === 0) return null;
  const prefix = !/\s$/u.test(query) || words.length > MAX_TOKENS;
  return tokens.map((t, i) => (i === tokens.length - 1 && prefix ? `"${t}"*` : `"${t}"`)).join(" ");
}
