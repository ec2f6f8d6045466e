// Pruning of the pattern-rule search (search.ts): a quick test that a pattern rule cannot
// apply to a name, so that a tree of files with unknown suffixes does not send every file
// through every built-in match-anything rule and its chains (what makes GNU slow with its
// built-in rules). GNU has no such test; it is tmake's shortcut, and it must be sound: a rule
// it skips is one whose trial by the plain search would fail. Then skipping it changes no
// decision, since a failed trial leaves nothing behind (the search remembers no failures).
//
// Why it is sound. The plain search accepts a prerequisite `d` of a rule when d is mentioned
// in the makefiles (the file table holds it), exists (a stat finds it), is found by directory
// search, or (in the second pass, for a rule that is not terminal) when the search for d
// itself succeeds: by a multi-wildcard rule matching d, or by a pattern rule whose own
// prerequisites are accepted. A prerequisite pattern `P%S` of a rule matched with stem x in
// directory D gives the name D+P+x+S. Its *shape* is (dir, pre, *, suf): the directory part of
// D+P, the rest of it, and S. A shape is viable when some entry of dir's listing or some
// mentioned name in dir has it, or (not terminal) some pattern rule could make a name of that
// shape and is itself viable there, or some multi-wildcard target could match such a name.
// Every step over-approximates what the plain search accepts, so a rule with a prerequisite
// shape that is not viable fails its trial. A multi-wildcard target whose literal prefix
// reaches into the stem (`align-$X-$Y` against the shape `*.c`) makes the shape viable only
// for stems that fit that prefix: such answers are conditions on the stem (StemCondition),
// tested for each name.
//
// Where the test would not be sound, it says "viable": directory search in use; a rule read
// under .SECONDEXPANSION, with a target goal (the goal must run, as in the plain search), or
// whose target pattern holds a slash (its stem may then cross directories); a prerequisite
// with wildcard characters (it is globbed), or with a slash after its `%`; a directory that
// cannot be listed; a stem with wildcard characters; deep directory chains.
//
// The answers are kept per rule and directory. A name entered in the file table later makes
// the negative answers it refutes wrong: noteMentioned() drops them. Files the build makes are
// targets, hence mentioned; files a recipe makes besides its targets are outside the contract
// (GNU's directory cache does not see them either).
import type { NameIndex } from "./tails.js";
import type { PatternRule, RuleSet, TargetHit } from "./ruleset.js";
import { parsePattern } from "../native/js-matcher.js";
import { pruneAfter } from "./shortcuts.js";

/** Whether a rule may apply: true, false, or only for stems meeting one of the conditions. */
export type Viability = boolean | StemCondition[];

/** A stem `x` meets the condition when `before + x + after` starts with `start`. */
export interface StemCondition {
  before: string;
  after: string;
  start: string;
}

/** A match-anything target with its viability in a directory. */
export interface ViableHit extends TargetHit {
  viability: Viability;
}

/** What pruning needs to know about the file system and the file table. */
export interface PruneContext {
  /** The entries of a directory (null when it cannot be read). */
  listing(dir: string): NameIndex<readonly string[]> | null;
  /** Starts reading a directory's entries, which listing() will likely be asked for soon. */
  prefetchListing(dir: string): void;
  /** Whether listing(dir) would answer at once (read, or read ahead and done). */
  listingReady(dir: string): boolean;
  /** The mentioned names in a directory ("" or "dir/"), whole (directory included). */
  mentionedIn(dir: string): NameIndex<readonly string[]>;
  /** Directory search is in use (then nothing is pruned). */
  vpathActive: boolean;
}

/** Pruning starts in a directory once this many names there have been searched (32, or
 * TMAKE_PRUNE_AFTER): it reads the directory's whole listing, which a directory searched only a
 * few times (the one holding the makefiles, typically) does not repay. It starts earlier when a
 * listing read ahead is there. Either way the decisions are the same; only the work differs. */
const PRUNE_AFTER = pruneAfter();

/** More conditions than this on one answer: "viable" (the answer stays sound, and short). */
const MAX_CONDITIONS = 32;

const GLOB_CHARS = /[*?[]/;

/** The literal text a multi-wildcard pattern starts and ends with. */
interface LiteralEnds {
  prefix: string;
  suffix: string;
}

export class Pruner {
  /** Shape answers: key -> answer. */
  private readonly shapes = new Map<string, Viability>();
  /** ruleViable's answers: directory -> per rule (by order). */
  private readonly byDir = new Map<string, (Viability | undefined)[]>();
  /** matchAnything's answers per directory, and its answer when nothing is pruned. */
  private readonly matchAnyByDir = new Map<string, ViableHit[]>();
  private unpruned?: ViableHit[];
  /** Names searched (at the top of a search) per directory, until pruning starts there. */
  private readonly searchesIn = new Map<string, number>();
  /** Shapes answered other than true, per directory, for noteMentioned. */
  private readonly negative = new Map<string, { key: string; pre: string; suf: string }[]>();
  private readonly biomake: LiteralEnds[];

  constructor(
    private readonly rules: RuleSet,
    /** The target patterns of the multi-wildcard rules. */
    biomakeTargets: readonly string[],
    private readonly ctx: PruneContext,
    /** false: never prune (the plain path, or a trace that shows every rule). */
    private readonly enabled: boolean,
  ) {
    this.biomake = biomakeTargets.map(literalEnds);
  }

  /** A search at the top (not a chain's intermediate) starts in `dir`. */
  noteSearch(dir: string): void {
    const n = this.searchesIn.get(dir);
    if (n === undefined || n < PRUNE_AFTER) this.searchesIn.set(dir, (n ?? 0) + 1);
  }

  /** Whether to prune in `dir` yet (see PRUNE_AFTER). A search that is not pruned asks for
   * each built-in rule's prerequisite by a stat: 120 of them for a name like `s1.fa` (`%: %.c`,
   * `%: %.o`, ...), so even in a directory of 90,000 entries the listing pays for itself
   * within a few hundred searches; once a listing read ahead is there, it costs nothing to
   * wait for. */
  active(dir: string): boolean {
    return this.enabled && ((this.searchesIn.get(dir) ?? 0) >= PRUNE_AFTER || this.ctx.listingReady(listingDir(dir)));
  }

  /** The match-anything targets whose rule can apply to names in `dir` (not cancelled, and
   * not pruned there), in rule order, each with its viability. */
  matchAnything(dir: string): ViableHit[] {
    let hits = this.matchAnyByDir.get(dir);
    if (hits !== undefined) return hits;
    const prune = this.active(dir);
    // Searches that get this far in a directory are what pruning saves work on: start reading
    // its listing now, so it is (nearly) there when pruning starts.
    if (!prune && this.enabled) this.ctx.prefetchListing(listingDir(dir));
    if (!prune && this.unpruned !== undefined) return this.unpruned;
    hits = [];
    for (const { rule, target } of this.rules.matchAnything) {
      if (rule.prereqs.length === 0 && rule.orderOnly.length === 0 && rule.secondExpansion === undefined && !rule.hasRecipe) continue;
      const viability = prune ? this.ruleViable(rule, dir) : true;
      if (viability !== false) hits.push({ rule, target, viability });
    }
    if (prune) this.matchAnyByDir.set(dir, hits);
    else this.unpruned = hits;
    return hits;
  }

  /** Whether `rule`, matched in `dir` ("" or "dir/": where its `%` prerequisites go), can
   * apply to some name there. */
  ruleViable(rule: PatternRule, dir: string): Viability {
    if (this.ctx.vpathActive || rule.secondExpansion !== undefined || rule.targetGoal !== undefined) return true;
    if (rule.parts.some((p) => p.slash)) return true;
    let known = this.byDir.get(dir);
    if (known === undefined) this.byDir.set(dir, (known = new Array<Viability | undefined>(this.rules.rules.length)));
    let answer = known[rule.order];
    if (answer === undefined) known[rule.order] = answer = this.depShapesViable(rule, dir);
    return answer;
  }

  /** Every prerequisite shape must be viable. Of several conditional ones only the first is
   * kept: the answer may be more often "viable" than it could, never less. */
  private depShapesViable(rule: PatternRule, dir: string): Viability {
    let kept: StemCondition[] | undefined;
    for (const dp of [...rule.prereqs, ...rule.orderOnly]) {
      const i = dp.indexOf("%");
      if (i < 0 || GLOB_CHARS.test(dp)) continue;
      const suf = dp.slice(i + 1);
      if (suf.includes("/")) continue;
      const full = dir + dp.slice(0, i);
      const slash = full.lastIndexOf("/");
      const d = slash < 0 ? "" : full.slice(0, slash + 1);
      const v = this.shapeViable(d, full.slice(slash + 1), suf, !rule.terminal);
      if (v === false) return false;
      if (v !== true) kept ??= v;
    }
    return kept ?? true;
  }

  /** Can a name `dir + pre + x + suf` (x not empty, without a slash) exist, be mentioned, or
   * (when `chain`) be made? */
  private shapeViable(dir: string, pre: string, suf: string, chain: boolean): Viability {
    const key = `${chain ? 1 : 0}\u0000${dir}\u0000${pre}\u0000${suf}`;
    const known = this.shapes.get(key);
    if (known !== undefined) return known;
    if (dir.split("/").length > 16) return true; // deep directory chains: do not prune
    this.shapes.set(key, true); // while computing (cycles): assume yes, which is always sound
    const answer = this.computeShape(dir, pre, suf, chain);
    this.shapes.set(key, answer);
    if (answer !== true) {
      let l = this.negative.get(dir);
      if (!l) this.negative.set(dir, (l = []));
      l.push({ key, pre, suf });
    }
    return answer;
  }

  private computeShape(dir: string, pre: string, suf: string, chain: boolean): Viability {
    const listing = this.ctx.listing(listingDir(dir));
    if (listing === null) return true; // not readable: any name may be there
    if (listing.tails.mayEndWith(suf))
      for (const f of listing.names) if (f.length > pre.length + suf.length && f.startsWith(pre) && f.endsWith(suf)) return true;
    const d = dir.length;
    const mentioned = this.ctx.mentionedIn(dir);
    if (mentioned.tails.mayEndWith(suf))
      for (const n of mentioned.names) if (n.length > d + pre.length + suf.length && n.startsWith(pre, d) && n.endsWith(suf)) return true;
    if (!chain) return false;
    const conditions: StemCondition[] = [];
    // Pattern rules that could make such a name (GNU's chains).
    for (const rule of this.rules.rules) {
      if (!rule.hasRecipe && rule.prereqs.length === 0) continue;
      let v: Viability | undefined;
      for (const p of rule.parts) {
        // Only terminal match-anything rules make intermediates (GNU).
        if (p.matchAny && !rule.terminal) continue;
        // The producer's pattern against the name: the whole of it, or its file part.
        const known = p.slash ? dir + pre : pre;
        const preOk = p.prefix.startsWith(known) || known.startsWith(p.prefix);
        const sufOk = p.suffix.endsWith(suf) || suf.endsWith(p.suffix);
        if (!preOk || !sufOk) continue;
        v ??= this.ruleViable(rule, p.slash ? "" : dir);
        if (v === true) return true;
        if (v === false) break;
        // The producer's stem, for a name whose stem here is x: known[|prefix|..] + x +
        // suf[..-|suffix|], when its prefix and suffix lie within the known parts; else it
        // cannot be said in these terms.
        if (!known.startsWith(p.prefix) || !suf.endsWith(p.suffix)) return true;
        const head = known.slice(p.prefix.length);
        const tail = suf.slice(0, suf.length - p.suffix.length);
        for (const c of v) conditions.push({ before: c.before + head, after: tail + c.after, start: c.start });
      }
    }
    // Multi-wildcard targets that could match such a name (literal ends only: a necessary
    // condition for a match).
    const known = dir + pre;
    for (const b of this.biomake) {
      if (!(suf.endsWith(b.suffix) || b.suffix.endsWith(suf))) continue;
      if (known.startsWith(b.prefix)) return true;
      if (!b.prefix.startsWith(known)) continue;
      conditions.push({ before: "", after: suf, start: b.prefix.slice(known.length) });
    }
    if (conditions.length > MAX_CONDITIONS) return true;
    return conditions.length > 0 ? conditions : false;
  }

  /** A name was entered in the file table: forget the answers it refutes. */
  noteMentioned(name: string, dirLength: number): void {
    if (this.negative.size === 0) return;
    const l = this.negative.get(dirLength === 0 ? "" : name.slice(0, dirLength));
    if (!l) return;
    const d = dirLength;
    if (l.some((s) => name.length > d + s.pre.length + s.suf.length && name.startsWith(s.pre, d) && name.endsWith(s.suf))) {
      // Answers depend on each other: drop every one that is not "viable".
      for (const shapes of this.negative.values()) for (const s of shapes) this.shapes.delete(s.key);
      this.negative.clear();
      this.byDir.clear();
      this.matchAnyByDir.clear();
    }
  }
}

/** Whether a rule with this viability may apply to a name matched with `stem` (without its
 * directory). A stem with wildcard characters makes globbed prerequisites: not pruned. */
export function viableFor(v: Viability, stem: string): boolean {
  if (v === true || v === false) return v;
  if (GLOB_CHARS.test(stem)) return true;
  for (const c of v) if (startsWithJoined(c.start, c.before, stem, c.after)) return true;
  return false;
}

/** Whether a + b + c starts with `start`, without joining them. */
function startsWithJoined(start: string, a: string, b: string, c: string): boolean {
  let at = 0;
  for (const part of [a, b, c]) {
    const n = Math.min(part.length, start.length - at);
    if (n <= 0) break;
    if (!start.startsWith(part.slice(0, n), at)) return false;
    at += n;
  }
  return at >= start.length;
}

/** The literal text a multi-wildcard pattern starts and ends with ("" when it starts or ends
 * with a wildcard). A pattern that cannot be parsed has none (it matches nothing anyway). */
function literalEnds(source: string): LiteralEnds {
  try {
    const { tokens } = parsePattern(source);
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    return {
      prefix: first?.kind === "text" ? first.text : "",
      suffix: last?.kind === "text" ? last.text : "",
    };
  } catch {
    return { prefix: "", suffix: "" };
  }
}

/** The directory to list for names in `dir` ("" or "dir/"). */
export function listingDir(dir: string): string {
  return dir === "" ? "." : dir.slice(0, -1) || "/";
}
