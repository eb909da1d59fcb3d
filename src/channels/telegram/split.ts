/**
 * Splits a text into parts of at most `max` UTF-16 code units (what Telegram counts, and never
 * fewer than the characters it counts): on paragraph boundaries (blank lines) first, then on line
 * breaks, then at the last space of an over-long line, and only then hard, never inside a
 * surrogate pair. Parts are packed greedily, so a short paragraph joins the one before it.
 */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const paragraphs = text
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.replace(/^\n+|\n+$/g, ""))
    .filter((paragraph) => paragraph.trim() !== "");
  return pack(paragraphs, "\n\n", max, (paragraph) =>
    pack(paragraph.split("\n"), "\n", max, (line) => cutLine(line, max)),
  );
}

function pack(
  pieces: readonly string[],
  separator: string,
  max: number,
  splitPiece: (piece: string) => string[],
): string[] {
  const parts: string[] = [];
  let current = "";
  for (const piece of pieces) {
    const joined = current === "" ? piece : `${current}${separator}${piece}`;
    if (joined.length <= max) {
      current = joined;
      continue;
    }
    if (current !== "") parts.push(current);
    if (piece.length <= max) {
      current = piece;
      continue;
    }
    const split = splitPiece(piece);
    parts.push(...split.slice(0, -1));
    current = split.at(-1) ?? "";
  }
  if (current !== "") parts.push(current);
  return parts;
}

function cutLine(line: string, max: number): string[] {
  const parts: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const space = rest.lastIndexOf(" ", max);
    let cut = space > max / 2 ? space : max;
    if (cut === max && isHighSurrogate(rest.charCodeAt(max - 1))) cut = max - 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut).replace(/^ /, "");
  }
  if (rest !== "") parts.push(rest);
  return parts;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
