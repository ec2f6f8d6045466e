// The build-events seam: the build reports what it decides and does as typed events, and
// consumers (biomake's -d report today; a journal, a progress display and a machine-readable
// stream next) listen. The walk checks `active` before it makes an event, so with no consumer
// attached an event costs one property read.
import type { Loc } from "../messages.js";
import type { JobResult } from "../job/types.js";
import type { StaleReason } from "./staleness.js";

/** A target the walk looked at, with the prerequisites it will check (biomake's "Checking
 * dependencies"). */
export interface ConsideredEvent {
  type: "considered";
  target: string;
  /** The target's normal prerequisites, by name. */
  prereqs: readonly string[];
  /** The rule that makes it: an implicit rule's target pattern, else where its recipe is
   * (`Makefile:12`); absent without a recipe. */
  rule?: string;
  /** How deep in the walk (0 for a goal). */
  depth: number;
}

/** The target need not be remade. */
export interface UpToDateEvent {
  type: "up-to-date";
  target: string;
  depth: number;
  /** It has a recipe or prerequisites (GNU: "is up to date"), else it is a plain file
   * ("Nothing to be done"). */
  hasRule: boolean;
  /** The file exists. */
  exists: boolean;
}

/** The target is out of date and will be remade, and why. */
export interface StaleEvent {
  type: "stale";
  target: string;
  depth: number;
  reason: StaleReason;
  /** It has a recipe to run. */
  hasRecipe: boolean;
}

/** A target's recipe starts (it is echoed and run, or only echoed under -n). */
export interface RecipeStartedEvent {
  type: "recipe-started";
  target: string;
  loc: Loc;
  depth: number;
  /** The commands as expanded (with their `@ - +` prefixes). */
  commands: readonly string[];
  /** The values of the variables the expansion read (automatic ones left out). */
  vars: Readonly<Record<string, string>>;
  /** The target is phony (no file of that name is made). */
  phony: boolean;
  /** Whether commands really run (not under -n, -q, -t). */
  runs: boolean;
}

/** A target's recipe is done. */
export interface RecipeFinishedEvent {
  type: "recipe-finished";
  target: string;
  ok: boolean;
  depth: number;
  /** Milliseconds from start to end. */
  durationMs: number;
  /** Whether commands really ran (not under -n, -q, -t). */
  ran: boolean;
  /** How the job ended, as its runner said (absent when no process was started). */
  result?: JobResult;
}

/** A prerequisite failed, so the target was not remade. */
export interface NotRemadeEvent {
  type: "not-remade";
  target: string;
  depth: number;
}

/** A file was deleted by the build. */
export interface DeletedEvent {
  type: "deleted";
  target: string;
  /** An intermediate file at the end of the run, or a half-made target after a failure or a
   * signal. */
  why: "intermediate" | "failed" | "interrupted";
}

export type BuildEvent = ConsideredEvent | UpToDateEvent | StaleEvent | RecipeStartedEvent | RecipeFinishedEvent | NotRemadeEvent | DeletedEvent;

export type BuildEventListener = (event: BuildEvent) => void;

/** Where the build's events go. */
export class BuildEvents {
  private readonly listeners: BuildEventListener[] = [];
  private everyTarget = 0;

  /** Whether any consumer listens: the walk makes events only then. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  /** Whether a consumer wants the events every target of a null build sends ("considered",
   * "up-to-date"): a journal that records only what changes does not, so a null build over
   * 100k files makes none of them. */
  get everyFile(): boolean {
    return this.everyTarget > 0;
  }

  /** Adds a consumer; returns a function that removes it. `everyFile` false: it ignores
   * "considered" and "up-to-date", which are then not made for it. */
  on(listener: BuildEventListener, everyFile = true): () => void {
    this.listeners.push(listener);
    if (everyFile) this.everyTarget++;
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i < 0) return;
      this.listeners.splice(i, 1);
      if (everyFile) this.everyTarget--;
    };
  }

  emit(event: BuildEvent): void {
    for (const l of this.listeners) l(event);
  }
}
