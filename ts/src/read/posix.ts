// The .POSIX special target, at the moment it is read (GNU's record_files): the shell gets -e
// (.SHELLFLAGS becomes -ec) and a few built-in variables take POSIX's defaults. They are
// defaults: a value the makefile, the environment or the command line gave stays.
import type { VarScope } from "../expand/variables.js";

/** POSIX (IEEE Std 1003.1-2008) values, as GNU Make 4.3 sets them (it writes -O1 for -O 1). */
const POSIX_DEFAULTS: readonly [string, string][] = [
  [".SHELLFLAGS", "-ec"],
  ["ARFLAGS", "-rv"],
  ["CC", "c99"],
  ["CFLAGS", "-O1"],
  ["FC", "fort77"],
  ["FFLAGS", "-O1"],
  ["SCCSGETFLAGS", "-s"],
];

export function applyPosixDefaults(globals: VarScope): void {
  for (const [name, value] of POSIX_DEFAULTS) {
    const v = globals.getLocal(name);
    if (v === undefined || v.origin === "default") globals.set({ name, value, flavor: "simple", origin: "default" });
  }
}
