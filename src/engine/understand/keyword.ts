/** Keywords and phrases a flow listens for ("daftar", "jam berapa"), matched on whole words. */
import { canonicalWords, sameWord } from "./lexicon.js";

/** Keywords come from flows, a small fixed set; the bound only guards against misuse. */
const KEYWORD_CACHE_LIMIT = 1000;
const keywordCache = new Map<string, readonly string[]>();

function keywordWords(keyword: string): readonly string[] {
  let cached = keywordCache.get(keyword);
  if (cached === undefined) {
    if (keywordCache.size >= KEYWORD_CACHE_LIMIT) keywordCache.clear();
    cached = canonicalWords(keyword);
    keywordCache.set(keyword, cached);
  }
  return cached;
}

function containsPhrase(ws: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  for (let start = 0; start + phrase.length <= ws.length; start++) {
    let i = 0;
    while (i < phrase.length && sameWord(ws[start + i] ?? "", phrase[i] ?? "")) i++;
    if (i === phrase.length) return true;
  }
  return false;
}

/**
 * The keyword (as given) found in the message as whole words: a phrase's words in a row, one
 * typo forgiven in words of five letters or more, informal spellings read canonically ("jam brp"
 * finds "jam berapa"). "daftar" is not found in "pendaftaran". When several keywords are found
 * the one with most words wins, then the longest, then the first given.
 */
export function findKeyword(text: string, keywords: readonly string[]): string | undefined {
  const ws = canonicalWords(text);
  let found: string | undefined;
  let foundWords = 0;
  let foundLength = 0;
  for (const keyword of keywords) {
    const phrase = keywordWords(keyword);
    const length = phrase.join(" ").length;
    if (phrase.length < foundWords || (phrase.length === foundWords && length <= foundLength))
      continue;
    if (!containsPhrase(ws, phrase)) continue;
    found = keyword;
    foundWords = phrase.length;
    foundLength = length;
  }
  return found;
}
