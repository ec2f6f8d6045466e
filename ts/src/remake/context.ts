// What every module of the remake stage shares: the file table and what it was built from
// (the database, the file-system cache, the special targets, directory search), the options
// the table depends on, and the run's messages. One context per file table; GNU keeps these
// as globals of remake.c, file.c and dir.c.
import type { Database } from "../read/database.js";
import type { GoalEvaluator } from "../implicit/goals.js";
import { unsupportedGoals } from "../implicit/goals.js";
import { suffixList } from "../implicit/ruleset.js";
import { loadBackend } from "../native/index.js";
import type { Messages } from "../messages.js";
import { FileTable } from "./files.js";
import { FsCache } from "./fscache.js";
import { collectSpecials, type Specials } from "./specials.js";
import { VpathSearch } from "./vpath.js";
import { LibrarySearch } from "./libsearch.js";
import type { BuildOptions } from "./options.js";

/** The options a file table is built from; a table is reused by a later phase only when they
 * agree (see sameTable in index.ts). */
export type TableOptions = Pick<
  BuildOptions,
  "cwd" | "noBuiltinRules" | "assumeNew" | "assumeOld" | "checkSymlinks" | "run" | "goalEvaluator" | "alwaysMake" | "signal" | "debug"
>;

/** The options of one phase of the build: remaking the makefiles, or updating the goals. */
export interface PhaseOptions extends BuildOptions {
  /** Set while remaking makefiles: failures of "don't care" files are silent. */
  rebuildingMakefiles?: boolean;
  /** Called before a failure is reported while the makefiles are remade (GNU's
   * show_goal_error: the included makefile in progress is said to be missing first). */
  showGoalError?: () => void;
}

export class RemakeContext {
  readonly files = new FileTable();
  readonly fs: FsCache;
  readonly specials: Specials;
  readonly vpath: VpathSearch;
  /** `-lNAME` prerequisites (.LIBPATTERNS). */
  readonly libraries: LibrarySearch;
  /** The known suffixes (.SUFFIXES), in order. */
  readonly suffixes: string[];
  readonly goals: GoalEvaluator;
  readonly msg: Messages;
  /** GNU's commands_started: how many commands were started (or touched) so far. */
  commandsStarted = 0;
  /** The phase being walked (Remaker.walk): the search's trace is quiet while the makefiles
   * are remade, as GNU's is. */
  phase: PhaseOptions | undefined;

  constructor(
    readonly db: Database,
    /** Fixed for the table's life, except -W after a restart (see Remaker.markAssumedNew). */
    public opts: TableOptions,
  ) {
    this.msg = opts.run.msg;
    this.fs = new FsCache(opts.cwd, {
      warn: (text) => this.msg.error(text),
      statBatch: (paths) => loadBackend().statMtimes(paths),
      startListing: (dir) => loadBackend().startListing(dir),
      checkSymlinks: opts.checkSymlinks === true,
    });
    this.specials = collectSpecials(db);
    // The makefiles' directory is where the first searches happen (for the makefiles
    // themselves): its listing is read in the background while the file table is built.
    this.fs.prefetchListing(".");
    this.vpath = new VpathSearch(db, this.fs, (n) => this.files.lookup(n));
    this.libraries = new LibrarySearch(db, this.fs, this.vpath, (text) => this.msg.error(text));
    this.goals = opts.goalEvaluator ?? unsupportedGoals;
    this.suffixes = suffixList(db.rules, !opts.noBuiltinRules);
  }
}
