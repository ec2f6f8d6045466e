// The database that reading a makefile produces and the build stages (implicit, remake, job)
// consume. This file is the contract between the "read/expand" half of tmake and the build
// half: extend it additively, and keep every field documented.
import type { RunContext } from "../run-context.js";
import type { Loc } from "../messages.js";
import type { Expander } from "../expand/expander.js";
import type { Assignment, AssignOp, VarScope } from "../expand/variables.js";

// Assignments belong to the expand stage (it applies them); the contract names them, and
// re-exports them for the command line's parser.
export type { AssignOp, Assignment } from "../expand/variables.js";

/** A recipe line exactly as read: the recipe prefix (tab) removed, backslash-newlines kept
 * (GNU passes them to the shell), unexpanded. The reader also removes the recipe prefix that
 * starts a continuation line (after a backslash-newline), as GNU does, so the build never
 * needs to know .RECIPEPREFIX. A `target: ; recipe` line gives one RecipeLine with the text
 * after the `;`. */
export interface RecipeLine {
  text: string;
  /** Compare locations by file and line, not identity (for lines the reader made, `loc` is
   * the RecipeLine object itself, which has `file` and `line`). */
  loc: Loc;
}

/**
 * A rule as read. A big makefile holds hundreds of thousands of rules, and every object the
 * reader keeps is copied by V8's young-generation collector before it settles, so a rule
 * keeps no list of its own: the names of all the rules read into a database are in one
 * shared list, `names`, and a rule's are a range of it, targets first:
 *
 *     targets            names[start .. prereqStart)
 *     prerequisites      names[prereqStart .. orderOnlyStart)
 *     order-only         names[orderOnlyStart .. end)
 *
 * A one-line recipe is kept as its text alone (see recipeLines). The build stages read a rule
 * through the members below; everything here is read-only for them. The *List() methods copy
 * one part into a new array, for code off the hot paths.
 */
export interface Rule {
  /** Where the rule was read (the line with its colon). */
  readonly loc: Loc;
  /** The list holding this rule's names (shared with other rules; see above). Target names
   * are expanded; a pattern rule's (patternRule) are its patterns as written, GNU's `\%`
   * quoting kept (read them with base/pattern.ts); a biomake rule's hold named wildcards in
   * the matcher's syntax (`$X`, `$(NAME)`; see native/types.ts); any other rule's are file
   * names, quoting resolved (`a\%b:` names the file `a%b`), where a `%` is a plain
   * character. Prerequisites are expanded at read time as GNU does, split into words. */
  readonly names: readonly string[];
  /** Where the targets start in `names` (a rule has at least one). */
  readonly start: number;
  /** Where the normal prerequisites start (where the targets end). */
  readonly prereqStart: number;
  /** Where the order-only prerequisites (after `|`) start. */
  readonly orderOnlyStart: number;
  /** Where the rule's names end. */
  readonly end: number;
  /** How many targets (prereqStart - start). */
  readonly targetCount: number;
  /** Whether some target passes `test` (without copying the targets). */
  someTarget(test: (target: string) => boolean): boolean;
  /** Copies of the three parts of `names`. */
  targetList(): string[];
  prereqList(): string[];
  orderOnlyList(): string[];
  /** A pattern (implicit) rule: its first target holds a `%` that is not quoted (GNU's
   * implicit_percent, find_percent). Every target of a pattern rule is a pattern. A rule
   * whose first target is a file name is an explicit or static pattern rule even when later
   * targets hold a `%` (GNU 4.3: "mixed implicit and normal rules: deprecated syntax"): those
   * name files. Never set on biomake rules (rawPrereqs). */
  readonly patternRule: boolean;
  /** `::` rule. */
  readonly doubleColon: boolean;
  /** Grouped targets `a b &: c`. */
  readonly grouped: boolean;
  /** Whether a recipe was given at all (an empty `;` recipe counts as given). */
  readonly hasRecipe: boolean;
  /** The recipe lines, in order (empty when none). A rule with a one-line recipe makes the
   * array (and the line) on each call, so callers that need them often keep the result. */
  recipeLines(): RecipeLine[];
  /** Where the recipe starts (its first line), or the rule's location when it has none. */
  readonly recipeLoc: Loc;
  /** When .SECONDEXPANSION was in effect: the prerequisite text after the first expansion
   * (normal and order-only together, `|` kept); the build expands it a second time per target
   * with automatic variables set. Only set when that text still holds a `$`; otherwise the
   * words are already in `names` (no second expansion needed). */
  readonly secondExpansion: string | undefined;
  /** Static pattern rule `targets: TARGET-PATTERN: prereq-patterns`: the target pattern.
   * The prerequisites in `names` are then the prerequisite patterns. */
  readonly staticPattern: string | undefined;
  /** Biomake multi-wildcard rule (targets hold named wildcards): the prerequisite text as
   * written, expanded only after the wildcards are bound; `names` then holds only targets.
   * An undefined variable in a rule's targets is a named wildcard only when the rule uses it
   * again (in its prerequisites or recipe) or has a goal, and never in GNU's rule forms
   * (static pattern, `::`, `&:`); read/wildcards.ts has the rule. Such rules never set
   * .DEFAULT_GOAL. */
  readonly rawPrereqs: string | undefined;
  /** A biomake rule whose wildcards only its own line names (read/wildcards.ts, rule 2b): the
   * rule search tries it only for a name GNU's reading has no rule for. */
  readonly fallback: boolean;
  /** Biomake `{goal}` between the targets and the colon: tested after matching, before deps. */
  readonly targetGoal: string | undefined;
  /** Biomake `{goal}` after the prerequisites: tested after the deps are built. */
  readonly depsGoal: string | undefined;
  /** Set on the GNU reading of a biomake multi-wildcard rule. GNU Make reads
   * `$(DESTDIR)$(bindir)/prog: prog` with DESTDIR unset as the explicit target `/.../prog`;
   * biomake reads it as a pattern with the wildcard DESTDIR (when the rule uses DESTDIR
   * again). The reader records both: the biomake rule (rawPrereqs set) and, right after it,
   * this explicit twin whose targets and prerequisites are expanded GNU's way (undefined
   * variables empty). The twin has the same recipe. Only the first biomake rule per GNU
   * target list gets a twin, and rules with {goals} or a $(bagof) in their prerequisites get
   * none, so biomake's alternative rules never look like GNU's "overriding recipe" case. */
  readonly gnuTwin: boolean;
}

/** An include line's file (also a -f makefile that does not exist, with `commandLine`).
 *
 * Missing includes do not stop reading (GNU reads on, then tries to make them). The CLI's
 * protocol, as GNU does it: after readMakefiles, try to remake every record (missing or
 * out of date) with the rules read; if any was remade, read again from scratch; then call
 * `missingIncludeError(db, stillMissing)` from read/index.ts, which prints GNU's
 * "FILE:LINE: NAME: No such file or directory" and returns the fatal
 * "No rule to make target 'NAME'" error for the first non-optional one still missing. */
export interface IncludeRecord {
  /** The file name as written after expansion (before -I search). */
  name: string;
  /** Where it was found, when it was (the name as GNU reports it: as written, or DIR/name). */
  path?: string;
  optional: boolean;
  /** The include line (for -f makefiles: file "<command-line>", line 0). */
  loc: Loc;
  /** A makefile named with -f that does not exist (GNU treats it like a missing include). */
  commandLine?: boolean;
  /** Why the file could not be read when it exists (strerror's text, "Permission denied"):
   * it is then missing (no `path`), and this is said in place of "No such file or directory". */
  error?: string;
  /** Found only beside the including makefile (`path` is that makefile's directory joined
   * with `name`), biomake's rule, after GNU's search (current directory, -I directories)
   * found nothing; GNU itself would report the file missing unless a rule makes `name`. The
   * reader read `path` in place. To keep GNU's precedence, the build should try to make
   * `name` (not `path`) and, if that makes it, read the makefiles again: GNU's search then
   * finds the made file and this record no longer has `fallback`. */
  fallback?: boolean;
}

export interface Database {
  /** Global variables. */
  globals: VarScope;
  /** The expander that read the makefiles; the build expands recipes with it (so $(eval)
   * at build time still reaches the same database). */
  expander: Expander;
  /** Every rule in the order read (special targets like .PHONY included, as GNU records them).
   * A line whose first target is a pattern and whose others are not all patterns
   * (`a% b: c`, which GNU 4.3 rejects as "mixed implicit and normal rules") gives two rules,
   * as biomake reads it: the pattern targets' rule, then the normal targets' rule, with the
   * same prerequisites and recipe. (A line whose first target is a file name is one explicit
   * rule, as GNU reads it; see Rule.patternRule.)
   * .DEFAULT_GOAL (a variable in `globals`) holds GNU's default goal: the first target of the
   * first rule that is not a special target or a pattern, unless the makefile set it. */
  rules: Rule[];
  /** Target-specific assignments, in order, keyed by target name. The build applies them with
   * Expander.assign(targetScope, a, "file") in a scope whose parent is the scope of the
   * target that asked for it (GNU's inheritance), pattern-specific ones first (shorter stems
   * first), then the target's own. GNU evaluates `:=`, `::=`, `:::=` and `!=` right sides at
   * read time: the reader records those already evaluated (`$` escaped as `$$`, and `:::=`,
   * `!=` recorded as `=`), so applying them later gives GNU's value. */
  targetVars: Map<string, Assignment[]>;
  /** Pattern-specific assignments (`%.o: CFLAGS += -g`), in order. */
  patternVars: { pattern: string; assignments: Assignment[] }[];
  /** `vpath PATTERN DIRS` directives in order (VPATH itself is a variable in `globals`).
   * `vpath PATTERN` (clear that pattern) is recorded with `dirs: []`, and a bare `vpath`
   * (clear all) as `{ pattern: "", dirs: [] }`. */
  vpaths: { pattern: string; dirs: string[] }[];
  /** Every makefile read, in order (MAKEFILE_LIST). */
  makefiles: string[];
  /** include/-include/sinclude lines, so the build can try to remake them (GNU's re-exec). */
  includes: IncludeRecord[];
  /** Biomake `prolog ... endprolog` blocks, as text, in order. */
  prolog: { text: string; loc: Loc }[];
  /** Set by the build once it has taken the rules (GNU's snapped_deps): a rule read after
   * that (a $(eval) in a recipe or a second expansion) is fatal, "prerequisites cannot be
   * defined in recipes". Target-specific assignments stay allowed. */
  rulesClosed?: boolean;
}

/** What the CLI (or a library user) tells the reader. */
export interface ReadOptions {
  /** Makefiles given with -f, in order; empty means GNU's default search
   * (GNUmakefile, makefile, Makefile in `cwd`). "-" means standard input. */
  makefiles: string[];
  /** -I directories, searched for include files after the current directory. */
  includeDirs: string[];
  /** Command-line assignments (`VAR=value`, `VAR:=value`, biomake's `-D VAR VAL`), in order. */
  commandLine: { name: string; op: AssignOp; value: string }[];
  /** Makefile text for `--eval` / biomake's `-m`. GNU evaluates it BEFORE reading the
   * makefiles (origin "file", no location in messages); readMakefiles does the same. */
  evalStrings: string[];
  /** The environment the variables start from. */
  env: Record<string, string | undefined>;
  /** -e: environment variables override makefile assignments. */
  environmentOverrides: boolean;
  /** The goals named on the command line (MAKECMDGOALS). */
  goals: string[];
  /** The value MAKEFLAGS gets (computed by the CLI from its options). */
  makeflags: string;
  /** GNU's `-*-command-variables-*-`: the command-line variables as MAKEFLAGS hands them on
   * (see cli/makeflags.ts). When set and not empty, the reader defines it and MAKEOVERRIDES
   * (origin environment, `${-*-command-variables-*-}`), which the CLI's final MAKEFLAGS refers
   * to, so a makefile can change what sub-makes get. */
  commandVariables?: string;
  /** false with -R / --no-builtin-variables. */
  builtinVariables: boolean;
  /** false with -r / --no-builtin-rules (the reader only needs it for MAKEFLAGS/.SUFFIXES). */
  builtinRules: boolean;
  /** The working directory (CURDIR), after any -C. */
  cwd: string;
  /** How $(MAKE) re-invokes this program (e.g. "/usr/bin/node /path/dist/cli/main.js"). */
  makeCommand: string;
  /** MAKELEVEL of this run (0 at top level). */
  makelevel: number;
  /** --warn-undefined-variables: warn when an undefined variable is referenced. */
  warnUndefinedVariables?: boolean;
  /** Where $(info) / $(warning) / reader warnings go (default: process.stdout/stderr). */
  output?: { stdout(text: string): void; stderr(text: string): void };
  /** The run the reading belongs to (its messages; the Prolog session $(bagof) uses). */
  run: RunContext;
}
