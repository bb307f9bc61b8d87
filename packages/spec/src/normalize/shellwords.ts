/**
 * Splits a command string like a POSIX shell would split words (no expansion), as compose does
 * with shellwords. Returns undefined when a quote is left open.
 */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else current += ch;
      continue;
    }
    if (quote === '"') {
      if (ch === '"') quote = undefined;
      else if (ch === '\\' && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1]!)) {
        current += text[i + 1];
        i++;
      } else current += ch;
      continue;
    }
    if (ch === '\\' && i + 1 < text.length) {
      if (text[i + 1] !== '\n') current += text[i + 1];
      i++;
      inWord = true;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
      continue;
    }
    current += ch;
    inWord = true;
  }
  if (quote) return undefined;
  if (inWord) words.push(current);
  return words;
}
