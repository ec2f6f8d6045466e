// One run of tmake: what GNU keeps in the globals of main.c, output.c and job.c, made a value
// so that two runs in one process (a library caller, a test) each say their own name and keep
// their own jobserver and Prolog session. A run holds its messages (the program's name, its
// MAKELEVEL and the streams it writes to) and each stage's own part of the run, which the
// stage declares with a RunKey and makes on first use: the job stage's jobserver, job runner
// and output-sync settings (job/run-state.ts), the logic stage's Prolog session
// (logic/session.ts). The run goes down the stages with ReadOptions.run and BuildOptions.run.
import { Messages } from "./messages.js";

/** A stage's part of a run: `key.of(run)` is made by `make` the first time it is asked. */
export class RunKey<T> {
  constructor(
    readonly name: string,
    readonly make: () => T,
  ) {}

  of(run: RunContext): T {
    return run.part(this);
  }
}

export class RunContext {
  /** What the run says, and where (GNU's message/error/fatal). */
  readonly msg: Messages;
  private readonly parts = new Map<RunKey<unknown>, unknown>();

  constructor(
    /** The name messages start with (GNU prints "make"). */
    readonly programName = "tmake",
    /** MAKELEVEL: messages say `prog[N]:` when it is above 0. */
    readonly makelevel = 0,
    out?: (text: string) => void,
    err?: (text: string) => void,
  ) {
    this.msg = new Messages(programName, makelevel, out, err);
  }

  /** A stage's part of this run (see RunKey). */
  part<T>(key: RunKey<T>): T {
    let p = this.parts.get(key as RunKey<unknown>) as T | undefined;
    if (p === undefined) {
      p = key.make();
      this.parts.set(key as RunKey<unknown>, p);
    }
    return p;
  }
}
