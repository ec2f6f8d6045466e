// Errors that end a make run. Every user-facing failure is one of these, so the CLI can print
// GNU Make's wording and exit 2 without a stack trace.

export interface Loc {
  file: string;
  line: number;
}

/** A fatal error. `message` is GNU's text without the program prefix or the trailing "Stop.". */
export class MakeError extends Error {
  constructor(
    message: string,
    readonly loc?: Loc,
    /** Exit status (2 for GNU's fatal errors). */
    readonly status = 2,
  ) {
    super(message);
    this.name = "MakeError";
  }
}

/** The program name GNU prints in front of its messages ("make"); ours is the invoked name. */
export let programName = "tmake";
export function setProgramName(name: string): void {
  programName = name;
}

/** Formats an error the way GNU Make prints it:
 *   FILE:LINE: *** message.  Stop.
 *   prog: *** message.  Stop.
 * GNU always appends ".  Stop." ($(error ends.) prints "ends..  Stop."), so messages are
 * written without a final period.
 */
export function formatFatal(err: MakeError): string {
  return err.loc ? `${err.loc.file}:${err.loc.line}: *** ${err.message}.  Stop.` : `${programName}: *** ${err.message}.  Stop.`;
}
