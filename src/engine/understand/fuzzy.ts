/**
 * Typo tolerance. A resident may mistype one letter of a long word ("mnjahit", "berhnti"), but
 * short words are too easy to confuse with other real words ("batu" / "bantu", "lama" / "lima"),
 * so a typo is only forgiven when both words have five letters or more.
 */

/** Shortest word length at which one typo is forgiven. */
export const MIN_TYPO_LENGTH = 5;

const LETTERS_ONLY = /^\p{L}+$/u;

/**
 * True when `a` and `b` differ by at most one edit: one insertion, deletion, substitution or
 * transposition of two adjacent characters (restricted Damerau–Levenshtein distance ≤ 1).
 * Runs in linear time without allocating a matrix.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    // Substitution: the rest after the first difference must be equal.
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    // Adjacent transposition.
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  // Insertion or deletion: skip one character of the longer word.
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/**
 * True when a typed `word` may stand for the known `target`: the same word, or (when both are
 * words of letters of at least {@link MIN_TYPO_LENGTH} characters) one typo away.
 */
export function closeEnough(word: string, target: string): boolean {
  if (word === target) return true;
  return (
    word.length >= MIN_TYPO_LENGTH &&
    target.length >= MIN_TYPO_LENGTH &&
    LETTERS_ONLY.test(word) &&
    LETTERS_ONLY.test(target) &&
    withinOneEdit(word, target)
  );
}
