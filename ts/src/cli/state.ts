// Everything the command line (and MAKEFLAGS) can say, gathered before anything is read: one
// field per switch field of the table in switches.ts (its type and default come from there),
// plus the goals and variables the other words name. Switches are applied in the order given,
// so later ones win (-k ... -S turns -k off again).
import type { AnySwitch, Switch } from "./switches.js";
import { switches } from "./switches.js";

export type { CommandLineAssignment } from "./assignments.js";

/** [field, type] of each switch that sets a field. */
type FieldOf<S> = S extends Switch<infer F, infer V> ? (F extends "" ? never : [F, V]) : never;

/** The settings the switches give, one field per switch field. */
export type Settings = { [P in FieldOf<AnySwitch> as P[0]]: P[1] };

export type CommandLine = Settings & {
  /** -j was given on this make's own command line (not only in MAKEFLAGS): a sub-make then
   * leaves its parent's jobserver (GNU's argv_slots). */
  jobsOnCommandLine?: boolean;
};

/** The command line with every field at its default. */
export function emptyCommandLine(): CommandLine {
  const cl: Record<string, unknown> = {};
  for (const s of switches as readonly Switch[]) {
    if (s.field !== "" && !(s.field in cl)) cl[s.field] = structuredClone(s.initial);
  }
  return cl as CommandLine;
}
