/**
 * Splits a text into parts of at most `maxLength` characters, on paragraph boundaries where it
 * can, then on line breaks, then between words; a word longer than a part is cut.
 */
export function splitText(text: string, maxLength: number): string[] {
  if (text.length <= maxLength) return [text];
  return pack(text, maxLength, ["\n\n", "\n", " "]);
}

function pack(text: string, maxLength: number, separators: readonly string[]): string[] {
  if (text.length <= maxLength) return [text];
  const [separator, ...finer] = separators;
  if (separator === undefined) return cut(text, maxLength);
  const parts: string[] = [];
  let current = "";
  for (const piece of text.split(separator)) {
    const joined = current === "" ? piece : `${current}${separator}${piece}`;
    if (joined.length <= maxLength) {
      current = joined;
      continue;
    }
    if (current !== "") parts.push(current);
    if (piece.length <= maxLength) {
      current = piece;
    } else {
      const pieces = pack(piece, maxLength, finer);
      current = pieces.pop() ?? "";
      parts.push(...pieces);
    }
  }
  if (current !== "") parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== "");
}

function cut(text: string, maxLength: number): string[] {
  const parts: string[] = [];
  for (let start = 0; start < text.length; start += maxLength) {
    parts.push(text.slice(start, start + maxLength));
  }
  return parts;
}
