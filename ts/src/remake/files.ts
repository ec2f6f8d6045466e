// The file table (GNU's `struct file` hash): one node per name the makefiles mention or the
// build discovers, holding its merged explicit rules, its flags from special targets, and the
// state of updating it.
//
// A build can hold hundreds of thousands of nodes, so a node is kept small: the yes/no facts
// are bits of one integer (read through accessors), the fields only some files need live in a
// separate `FileExtra` allocated on first write, and a node without prerequisites shares one
// frozen empty list.
import { withoutDotSlash } from "../base/names.js";
import type { Loc } from "../messages.js";
import type { VarScope } from "../expand/variables.js";
import type { RecipeLine, Rule } from "../read/database.js";
import { Tails, type NameIndex } from "../implicit/tails.js";
import type { Bindings } from "../implicit/bindings.js";

/** GNU's enum update_status, in its order (larger is worse). */
export const enum Status {
  Success = 0,
  None = 1,
  Question = 2,
  Failed = 3,
}

export interface Recipe {
  lines: RecipeLine[];
  /** Where the recipe starts (GNU's cmds->fileinfo), for messages. */
  loc: Loc;
  /** Per line: it runs even under -n/-t/-q (uses $(MAKE) or starts with `+`). Computed once. */
  recursive?: boolean[];
}

/**
 * The recipe of an explicit rule, shared by the rule's targets. Its lines are made when the
 * build first asks for them: a big makefile has a recipe for every target, most of which are
 * never run (and a rule keeps a one-line recipe as its text alone; see Rule).
 */
class RuleRecipe implements Recipe {
  private made: RecipeLine[] | undefined = undefined;
  recursive?: boolean[] = undefined;

  constructor(private readonly rule: Rule) {}

  get lines(): RecipeLine[] {
    return (this.made ??= this.rule.recipeLines());
  }

  get loc(): Loc {
    return this.rule.recipeLoc;
  }
}

/** The recipe the targets of explicit rule `r` get (undefined when it has none). */
export function recipeOf(r: Rule): Recipe | undefined {
  return r.hasRecipe ? new RuleRecipe(r) : undefined;
}

const DEP_ORDER_ONLY = 1;
const DEP_IMPLICIT = 2;
const DEP_CHANGED = 4;
const DEP_NO_AUTO = 8;

export class Dep {
  private bits: number;
  constructor(
    public file: FileNode,
    orderOnly: boolean,
    /** From an explicit rule (false: added by an implicit rule). */
    explicit = true,
    /** Left out of the automatic variables ($< $^ $+ $? $|): a prerequisite from
     * .EXTRA_PREREQS (GNU's ignore_automatic_vars). */
    noAuto = false,
  ) {
    this.bits = (orderOnly ? DEP_ORDER_ONLY : 0) | (explicit ? 0 : DEP_IMPLICIT) | (noAuto ? DEP_NO_AUTO : 0);
  }

  get noAuto(): boolean {
    return (this.bits & DEP_NO_AUTO) !== 0;
  }

  get orderOnly(): boolean {
    return (this.bits & DEP_ORDER_ONLY) !== 0;
  }

  get explicit(): boolean {
    return (this.bits & DEP_IMPLICIT) === 0;
  }

  /** Set while updating: the prerequisite changed, or is newer than the target. */
  get changed(): boolean {
    return (this.bits & DEP_CHANGED) !== 0;
  }

  set changed(v: boolean) {
    this.bits = v ? this.bits | DEP_CHANGED : this.bits & ~DEP_CHANGED;
  }
}

/** Prerequisite text to expand a second time (.SECONDEXPANSION), with the stem in force. */
export interface PendingExpansion {
  text: string;
  /** The stem of a static pattern rule: its `%` become `$*` before the expansion, and the
   * first `%` of each resulting name becomes the stem. */
  stem?: string;
  loc: Loc;
}

/** GNU: a prerequisite that is both normal and order-only is normal. Returns `deps` itself
 * when no order-only entry names a file that a normal one names (the usual case). */
export function dropShadowedOrderOnly(deps: Dep[]): Dep[] {
  if (deps.length <= 16) {
    // A few prerequisites: compare pairs, no Set.
    let shadowed = false;
    for (const o of deps) {
      if (!o.orderOnly) continue;
      for (const n of deps) if (!n.orderOnly && n.file === o.file) shadowed = true;
    }
    if (!shadowed) return deps;
  }
  const normal = new Set<FileNode>();
  for (const d of deps) if (!d.orderOnly) normal.add(d.file);
  return deps.filter((d) => !d.orderOnly || !normal.has(d.file));
}

/** The prerequisites of a node that has none. Frozen: code that adds prerequisites must assign
 * a new array (a push on it throws). */
export const NO_DEPS: Dep[] = Object.freeze([]) as unknown as Dep[];
const NO_FILES: FileNode[] = Object.freeze([]) as unknown as FileNode[];

/** Fields that only some files need. */
class FileExtra {
  dcEntries?: FileNode[] = undefined;
  dcOwner?: FileNode = undefined;
  depsGoal?: { goal: string; loc: Loc } = undefined;
  targetGoal?: { goal: string; loc: Loc } = undefined;
  alsoMake: FileNode[] = NO_FILES;
  excluded?: Set<string> = undefined;
  vpathName?: string = undefined;
  ownScopes?: VarScope[] = undefined;
  renamed?: FileNode = undefined;
  goalFailure?: string = undefined;
}

const F_TARGET = 1 << 0;
const F_DOUBLE_COLON = 1 << 1;
const F_PHONY = 1 << 2;
const F_PRECIOUS = 1 << 3;
const F_INTERMEDIATE = 1 << 4;
const F_SECONDARY = 1 << 5;
const F_NOT_INTERMEDIATE = 1 << 6;
const F_CMD_TARGET = 1 << 7;
const F_DONTCARE = 1 << 8;
const F_TRIED_IMPLICIT = 1 << 9;
const F_IGNORE_VPATH = 1 << 10;
const F_UPDATED = 1 << 11;
const F_UPDATING = 1 << 12;
const F_RAN = 1 << 13;
const F_NO_DIAG = 1 << 14;
const F_MTIME_AHEAD = 1 << 15;
/** GNU's command_state (two bits): see CommandState. */
const CS_SHIFT = 16;
const CS_MASK = 3 << CS_SHIFT;
const F_MASK = (1 << 18) - 1;
const STATUS_SHIFT = 18;

/** GNU's enum cmd_state as far as -j needs it (finished is `updated`). Serial builds leave every
 * file NotStarted. */
export const enum CommandState {
  NotStarted = 0,
  /** Some prerequisites' recipes are still running: decide on this file in a later pass. */
  DepsRunning = 1,
  /** Its recipe is running. */
  Running = 2,
}

export class FileNode {
  /** The F_ bits, and the Status above STATUS_SHIFT. */
  private flags = Status.None << STATUS_SHIFT;
  deps: Dep[] = NO_DEPS;
  recipe: Recipe | undefined = undefined;
  /** GNU's last_mtime: undefined = not known yet (stat on demand). */
  mtime: number | undefined = undefined;
  parent: FileNode | undefined = undefined;
  scope: VarScope | undefined = undefined;
  /** Stem for $* (static pattern or implicit rule). */
  stem: string | undefined = undefined;
  /** The pattern (with %) of the implicit rule target that matched, for pattern-specific vars. */
  patternTarget: string | undefined = undefined;
  /** Identifies the implicit rule (and biomake split) in use. */
  implicitKey: string | undefined = undefined;
  /** Biomake wildcard bindings of the rule that makes this file. */
  bindings: Bindings | undefined = undefined;
  private x: FileExtra | undefined = undefined;

  constructor(readonly name: string) {}

  get status(): Status {
    return this.flags >>> STATUS_SHIFT;
  }

  set status(v: Status) {
    this.flags = (this.flags & F_MASK) | (v << STATUS_SHIFT);
  }

  get commandState(): CommandState {
    return (this.flags & CS_MASK) >>> CS_SHIFT;
  }

  set commandState(v: CommandState) {
    this.flags = (this.flags & ~CS_MASK) | (v << CS_SHIFT);
  }

  private flag(bit: number): boolean {
    return (this.flags & bit) !== 0;
  }

  private setFlag(bit: number, v: boolean): void {
    this.flags = v ? this.flags | bit : this.flags & ~bit;
  }

  private get extra(): FileExtra {
    return (this.x ??= new FileExtra());
  }

  /** Mentioned as a target of some rule (or made one by an implicit rule). */
  get isTarget(): boolean {
    return this.flag(F_TARGET);
  }
  set isTarget(v: boolean) {
    this.setFlag(F_TARGET, v);
  }
  get doubleColon(): boolean {
    return this.flag(F_DOUBLE_COLON);
  }
  set doubleColon(v: boolean) {
    this.setFlag(F_DOUBLE_COLON, v);
  }
  get phony(): boolean {
    return this.flag(F_PHONY);
  }
  set phony(v: boolean) {
    this.setFlag(F_PHONY, v);
  }
  get precious(): boolean {
    return this.flag(F_PRECIOUS);
  }
  set precious(v: boolean) {
    this.setFlag(F_PRECIOUS, v);
  }
  get intermediate(): boolean {
    return this.flag(F_INTERMEDIATE);
  }
  set intermediate(v: boolean) {
    this.setFlag(F_INTERMEDIATE, v);
  }
  get secondary(): boolean {
    return this.flag(F_SECONDARY);
  }
  set secondary(v: boolean) {
    this.setFlag(F_SECONDARY, v);
  }
  get notIntermediate(): boolean {
    return this.flag(F_NOT_INTERMEDIATE);
  }
  set notIntermediate(v: boolean) {
    this.setFlag(F_NOT_INTERMEDIATE, v);
  }
  /** Named on the command line (GNU's cmd_target): never deleted as intermediate. */
  get cmdTarget(): boolean {
    return this.flag(F_CMD_TARGET);
  }
  set cmdTarget(v: boolean) {
    this.setFlag(F_CMD_TARGET, v);
  }
  /** -include'd makefile or default makefile: failing to make it is not an error. */
  get dontcare(): boolean {
    return this.flag(F_DONTCARE);
  }
  set dontcare(v: boolean) {
    this.setFlag(F_DONTCARE, v);
  }
  /** It was being made as a "don't care" file: if it failed, no message was given yet (GNU's
   * no_diag; given when the file is needed again as a real prerequisite). */
  get noDiag(): boolean {
    return this.flag(F_NO_DIAG);
  }
  set noDiag(v: boolean) {
    this.setFlag(F_NO_DIAG, v);
  }
  /** `mtime` was fetched in a batch ahead of need and nobody has looked at it yet. */
  get mtimeAhead(): boolean {
    return this.flag(F_MTIME_AHEAD);
  }
  set mtimeAhead(v: boolean) {
    this.setFlag(F_MTIME_AHEAD, v);
  }
  get triedImplicit(): boolean {
    return this.flag(F_TRIED_IMPLICIT);
  }
  set triedImplicit(v: boolean) {
    this.setFlag(F_TRIED_IMPLICIT, v);
  }
  get ignoreVpath(): boolean {
    return this.flag(F_IGNORE_VPATH);
  }
  set ignoreVpath(v: boolean) {
    this.setFlag(F_IGNORE_VPATH, v);
  }
  get updated(): boolean {
    return this.flag(F_UPDATED);
  }
  set updated(v: boolean) {
    this.setFlag(F_UPDATED, v);
  }
  get updating(): boolean {
    return this.flag(F_UPDATING);
  }
  set updating(v: boolean) {
    this.setFlag(F_UPDATING, v);
  }
  /** The recipe was started for this file (GNU's cs_running before notice_finished_file). */
  get ran(): boolean {
    return this.flag(F_RAN);
  }
  set ran(v: boolean) {
    this.setFlag(F_RAN, v);
  }

  /** For a `::` target: its entries, each with its own deps and recipe, in order. */
  get dcEntries(): FileNode[] | undefined {
    return this.x?.dcEntries;
  }
  set dcEntries(v: FileNode[] | undefined) {
    this.extra.dcEntries = v;
  }
  /** For a `::` entry: the node that owns the name. */
  get dcOwner(): FileNode | undefined {
    return this.x?.dcOwner;
  }
  set dcOwner(v: FileNode | undefined) {
    this.extra.dcOwner = v;
  }
  /** Biomake deps goal to test after the deps are built. */
  get depsGoal(): { goal: string; loc: Loc } | undefined {
    return this.x?.depsGoal;
  }
  set depsGoal(v: { goal: string; loc: Loc } | undefined) {
    if (v !== undefined || this.x) this.extra.depsGoal = v;
  }
  /** Biomake target goal of the explicit rule that makes this file, not tested yet. */
  get targetGoal(): { goal: string; loc: Loc } | undefined {
    return this.x?.targetGoal;
  }
  set targetGoal(v: { goal: string; loc: Loc } | undefined) {
    if (v !== undefined || this.x) this.extra.targetGoal = v;
  }
  /** Other targets made by the same recipe run (grouped targets, multi-target pattern rules). */
  get alsoMake(): FileNode[] {
    return this.x?.alsoMake ?? NO_FILES;
  }
  set alsoMake(v: FileNode[]) {
    if (v.length > 0 || this.x) this.extra.alsoMake = v.length > 0 ? v : NO_FILES;
  }
  /** Implicit matches ruled out by a failed biomake deps goal. */
  get excluded(): Set<string> | undefined {
    return this.x?.excluded;
  }
  set excluded(v: Set<string> | undefined) {
    this.extra.excluded = v;
  }
  /** The name found by directory search, when the file is not in place. */
  get vpathName(): string | undefined {
    return this.x?.vpathName;
  }
  set vpathName(v: string | undefined) {
    if (v !== undefined || this.x) this.extra.vpathName = v;
  }
  /** Directory search found this file under the name of another node, which took it over
   * (GNU's rehash_file; or a GPATH rename): the build goes on with that node. */
  get renamed(): FileNode | undefined {
    return this.x?.renamed;
  }
  set renamed(v: FileNode | undefined) {
    if (v !== undefined || this.x) this.extra.renamed = v;
  }
  /** Biomake: why the rule that would have made this file did not apply (its target or deps
   * goal failed), for "No rule to make target". */
  get goalFailure(): string | undefined {
    return this.x?.goalFailure;
  }
  set goalFailure(v: string | undefined) {
    if (v !== undefined || this.x) this.extra.goalFailure = v;
  }
  /** The node that stands for this file now (itself unless it was renamed). */
  get current(): FileNode {
    let f: FileNode = this;
    while (f.x?.renamed !== undefined) f = f.x.renamed;
    return f;
  }
  /** The scopes this file's own pattern- and target-specific values live in. */
  get ownScopes(): VarScope[] | undefined {
    return this.x?.ownScopes;
  }
  set ownScopes(v: VarScope[] | undefined) {
    if (v !== undefined || this.x) this.extra.ownScopes = v;
  }

  /** Adds prerequisites after the existing ones (a node's list may be the shared empty one). */
  appendDeps(deps: Dep[]): void {
    if (deps.length === 0) return;
    this.deps = this.deps.length === 0 ? deps : this.deps.concat(deps);
  }

  /** The name recipes see ($@ for targets, $< $^ for prerequisites): the directory-search result
   * unless the file was remade in place. */
  get path(): string {
    const v = this.x?.vpathName;
    return v !== undefined && !this.ignoreVpath ? v : this.name;
  }

  /** The node that owns the name (itself, or the owner of a `::` entry). */
  get owner(): FileNode {
    return this.x?.dcOwner ?? this;
  }
}

export class FileTable {
  private readonly map = new Map<string, FileNode>();
  /** Nodes created since the last call of takeNew() (for batched wildcard matching); only
   * kept when `trackNew` is set. */
  private fresh: FileNode[] = [];
  /** Whether to remember new nodes for takeNew(). */
  trackNew = false;
  /** Names entered, per directory ("" or "dir/"); built on first use of mentionedIn(). */
  private byDir: Map<string, NameIndex<string[]>> | undefined;
  /** Called for every new name, with the length of its directory part ("dir/"). */
  onEnter?: (name: string, dirLength: number) => void;

  get size(): number {
    return this.map.size;
  }

  /** GNU's lookup_file: the node of `name`, spelt with or without leading `./` (base/names.ts). */
  lookup(name: string): FileNode | undefined {
    // The table holds no name with a leading `./`, so a hit needs no normalising (the usual
    // case, kept cheap).
    return this.map.get(name) ?? (name.charCodeAt(0) === 46 /* . */ ? this.map.get(withoutDotSlash(name)) : undefined);
  }

  /** The node held under exactly `name`, not normalised: GNU's rehash_file, which merges a
   * renamed file into the one its new name's hash slot holds (a directory search's answer is
   * such a name: `./dir/x` for VPATH=./dir is not `dir/x`). */
  lookupExact(name: string): FileNode | undefined {
    return this.map.get(name);
  }

  /** GNU's enter_file: the node of `name` (normalised as lookup does), made when missing. */
  enter(given: string): FileNode {
    let f = this.map.get(given);
    if (f !== undefined) return f;
    const name = given.charCodeAt(0) === 46 /* . */ ? withoutDotSlash(given) : given;
    if (name !== given) f = this.map.get(name);
    if (f === undefined) {
      f = new FileNode(name);
      this.map.set(name, f);
      if (this.trackNew) this.fresh.push(f);
      const dirLength = name.lastIndexOf("/") + 1;
      if (this.byDir !== undefined) this.index(name, dirLength);
      this.onEnter?.(name, dirLength);
    }
    return f;
  }

  private lastDir = "";
  private lastList: NameIndex<string[]> | undefined;

  private index(name: string, dirLength: number): void {
    let list: NameIndex<string[]> | undefined;
    // Names arrive grouped by directory: reuse the last directory's list when it fits.
    if (this.lastList !== undefined && dirLength === this.lastDir.length && name.startsWith(this.lastDir)) list = this.lastList;
    else {
      const dir = name.slice(0, dirLength);
      list = this.byDir!.get(dir);
      if (list === undefined) this.byDir!.set(dir, (list = { names: [], tails: new Tails() }));
      this.lastDir = dir;
      this.lastList = list;
    }
    list.names.push(name);
    list.tails.add(name);
  }

  /** The names entered in a directory ("" or "dir/"), whole (directory included). */
  mentionedIn(dir: string): NameIndex<readonly string[]> {
    if (this.byDir === undefined) {
      this.byDir = new Map();
      for (const name of this.map.keys()) this.index(name, name.lastIndexOf("/") + 1);
    }
    return this.byDir.get(dir) ?? NO_NAMES;
  }

  takeNew(): FileNode[] {
    const out = this.fresh;
    this.fresh = [];
    return out;
  }

  all(): IterableIterator<FileNode> {
    return this.map.values();
  }
}

const NO_NAMES: NameIndex<readonly string[]> = Object.freeze({ names: Object.freeze([]), tails: new Tails() });
