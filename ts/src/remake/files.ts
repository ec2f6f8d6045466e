// The file table (GNU's `struct file` hash): one node per name the makefiles mention or the
// build discovers, holding its merged explicit rules, its flags from special targets, and the
// state of updating it.
import type { Loc } from "../errors.js";
import type { VarScope } from "../expand/variables.js";
import type { RecipeLine } from "../read/database.js";

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
}

export class Dep {
  /** Set while updating: the prerequisite changed, or is newer than the target. */
  changed = false;
  constructor(
    public file: FileNode,
    public orderOnly: boolean,
    /** From an explicit rule (false: added by an implicit rule). */
    public explicit = true,
  ) {}
}

/** Prerequisite text to expand a second time (.SECONDEXPANSION), with the stem in force. */
export interface PendingExpansion {
  text: string;
  /** The rule had a recipe: GNU puts its prerequisites first. */
  first: boolean;
  stem?: string;
  loc: Loc;
}

export class FileNode {
  deps: Dep[] = [];
  recipe?: Recipe;
  /** Mentioned as a target of some rule (or made one by an implicit rule). */
  isTarget = false;
  /** For a `::` target: its entries, each with its own deps and recipe, in order. */
  dcEntries?: FileNode[];
  /** For a `::` entry: the node that owns the name. */
  dcOwner?: FileNode;
  doubleColon = false;

  phony = false;
  precious = false;
  intermediate = false;
  secondary = false;
  notIntermediate = false;
  /** Named on the command line (GNU's cmd_target): never deleted as intermediate. */
  cmdTarget = false;
  /** -include'd makefile or default makefile: failing to make it is not an error. */
  dontcare = false;

  /** Stem for $* (static pattern or implicit rule). */
  stem?: string;
  /** The pattern (with %) of the implicit rule target that matched, for pattern-specific vars. */
  patternTarget?: string;
  /** Biomake wildcard bindings of the rule that makes this file. */
  bindings?: Map<string, string>;
  /** Biomake deps goal to test after the deps are built. */
  depsGoal?: { goal: string; loc: Loc };
  /** Other targets made by the same recipe run (grouped targets, multi-target pattern rules). */
  alsoMake: FileNode[] = [];
  pending: PendingExpansion[] = [];
  /** Identifies the implicit rule (and biomake split) in use. */
  implicitKey?: string;
  /** Implicit matches ruled out by a failed biomake deps goal. */
  excluded?: Set<string>;

  triedImplicit = false;
  /** The name found by directory search, when the file is not in place. */
  vpathName?: string;
  ignoreVpath = false;

  /** GNU's last_mtime: undefined = not known yet (stat on demand). */
  mtime?: number;
  updated = false;
  status: Status = Status.None;
  updating = false;
  considered = false;
  /** The recipe was started for this file (GNU's cs_running before notice_finished_file). */
  ran = false;
  parent?: FileNode;
  scope?: VarScope;
  /** The scopes this file's own pattern- and target-specific values live in. */
  ownScopes?: VarScope[];
  /** Dependencies found by implicit search are in `deps` already. */
  implicitDone = false;

  constructor(readonly name: string) {}

  /** The name recipes see ($@ for targets, $< $^ for prerequisites): the directory-search result
   * unless the file was remade in place. */
  get path(): string {
    return this.vpathName !== undefined && !this.ignoreVpath ? this.vpathName : this.name;
  }

  /** The node that owns the name (itself, or the owner of a `::` entry). */
  get owner(): FileNode {
    return this.dcOwner ?? this;
  }
}

export class FileTable {
  private readonly map = new Map<string, FileNode>();
  /** Nodes created since the last call of takeNew() (for batched wildcard matching). */
  private fresh: FileNode[] = [];
  /** File parts of the names entered, per directory ("" or "dir/"). */
  private readonly byDir = new Map<string, string[]>();
  /** Called for every new name. */
  onEnter?: (name: string) => void;

  lookup(name: string): FileNode | undefined {
    return this.map.get(name);
  }

  enter(name: string): FileNode {
    let f = this.map.get(name);
    if (!f) {
      f = new FileNode(name);
      this.map.set(name, f);
      this.fresh.push(f);
      const slash = name.lastIndexOf("/");
      const dir = slash < 0 ? "" : name.slice(0, slash + 1);
      let l = this.byDir.get(dir);
      if (!l) this.byDir.set(dir, (l = []));
      l.push(name.slice(slash + 1));
      this.onEnter?.(name);
    }
    return f;
  }

  mentionedIn(dir: string): readonly string[] {
    return this.byDir.get(dir) ?? [];
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
