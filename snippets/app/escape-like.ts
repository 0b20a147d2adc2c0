// LIKE and ILIKE give `%` (any run of characters) and `_` (any one character) a meaning, and
// `\` escapes them. A search box that passes its text into a pattern unescaped lets "50%"
// match "5000 lumen lamp", and "_" match every name.
// #region escape-like
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}
// #endregion escape-like
