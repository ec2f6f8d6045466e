// The trace of the rule search, behind one small interface so that a build without it pays
// for nothing but a test of `undefined` (SearchContext.trace).
//
// Two kinds of lines:
// - GNU's (--debug=i): the DB_IMPLICIT messages of GNU Make 4.3's implicit.c and remake.c, word
//   for word, indented as GNU indents them (print_spaces: one space per level of depth), for
//   the GNU pattern rules;
// - tmake's own (--debug=why): every candidate of the search, GNU pattern rules and biomake's
//   multi-wildcard rules alike (each split of the name, its bindings, the target goal's
//   result, the prerequisite without a theoretical path), and the rule chosen.
// -d and --debug with other words keep biomake's report of the build (remake/biomake-goals.ts).

export interface SearchTrace {
  /** Print GNU's implicit-rule lines. */
  readonly gnu: boolean;
  /** Print tmake's --debug=why lines. */
  readonly why: boolean;
  /** One line of the trace, `depth` levels deep. */
  line(depth: number, text: string): void;
}

/** GNU's --debug words that select its implicit-rule trace: `i`/`implicit`, `a`/`all`. GNU
 * reads a word by its first letter. */
function gnuImplicit(word: string): boolean {
  const c = word[0]?.toLowerCase();
  return c === "i" || c === "a";
}

/** Whether a --debug word asks for a search trace only (no biomake report of the build). */
export function isSearchTraceWord(word: string): boolean {
  return word === "why" || (gnuImplicit(word) && !/^a/i.test(word));
}

/** The trace the --debug words ask for, written with `write`; undefined when none is. While
 * the makefiles are remade (`remakingMakefiles`) GNU says nothing unless asked with `m`
 * (makefiles) or `a` (all): so does the trace. */
export function searchTraceFor(words: readonly string[], write: (text: string) => void, remakingMakefiles: () => boolean): SearchTrace | undefined {
  const gnu = words.some(gnuImplicit);
  const why = words.includes("why");
  if (!gnu && !why) return undefined;
  const makefilesToo = words.some((w) => /^[ma]/i.test(w));
  const on = (): boolean => makefilesToo || !remakingMakefiles();
  return {
    get gnu() {
      return gnu && on();
    },
    get why() {
      return why && on();
    },
    line: (depth, text) => write(`${" ".repeat(depth)}${text}\n`),
  };
}
