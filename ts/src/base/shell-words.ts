// Shell words: quoting a word for a POSIX shell, and splitting an options string as one would
// (the job scripts, the queue engines' command lines, $(MAKE), the console's command line).

/** A word for a POSIX shell: as it is when it holds nothing the shell reads specially, else in
 * single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Splits an options string (`--mem=4G -p "long queue"`) into words as a shell would: blanks
 * separate words; single and double quotes and backslashes quote. No expansion happens. */
export function splitArgs(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) word = (word ?? "") + text[++i];
      else word = (word ?? "") + c;
      continue;
    }
    if (c === " " || c === "\t" || c === "\n") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= "";
    } else if (c === "\\" && i + 1 < text.length) word = (word ?? "") + text[++i];
    else word = (word ?? "") + c;
  }
  if (word !== undefined) words.push(word);
  return words;
}
