// GNU's message(), error() and fatal() (output.c and misc.c), and the one error type that ends
// a run: every line tmake says about a build starts with the program's name, with its
// MAKELEVEL in brackets inside a recursive make (`tmake[1]: ...`); a makefile error says where
// it is (`Makefile:12: *** missing separator.  Stop.`). One Messages object belongs to a run
// (run-context.ts), so two runs in one process each print their own name.
import { writeErr, writeOut } from "./output.js";

export interface Loc {
  file: string;
  line: number;
}

/** The error that ends a run (GNU's fatal()). `message` is GNU's text without the program
 * prefix or the trailing "Stop."; whoever catches it says it (Messages.format), and the run
 * exits with `status`. */
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

/** Formats an error the way GNU Make prints it:
 *   FILE:LINE: *** message.  Stop.
 *   prog: *** message.  Stop.
 * GNU always appends ".  Stop." ($(error ends.) prints "ends..  Stop."), so messages are
 * written without a final period. `prefix` is the run's (see Messages.prefix). */
export function formatFatal(err: MakeError, prefix = "tmake"): string {
  return err.loc ? `${err.loc.file}:${err.loc.line}: *** ${err.message}.  Stop.` : `${prefix}: *** ${err.message}.  Stop.`;
}

export class Messages {
  /** The prefix of every message: `prog` or `prog[N]`. */
  readonly prefix: string;

  constructor(
    programName: string,
    makelevel: number,
    /** Where standard output and standard error go (the process's buffered streams unless a
     * library caller gives its own). */
    readonly out: (text: string) => void = writeOut,
    readonly err: (text: string) => void = writeErr,
  ) {
    this.prefix = makelevel > 0 ? `${programName}[${makelevel}]` : programName;
  }

  /** GNU's message(): `prog: text` on standard output. */
  message(text: string): void {
    this.out(`${this.prefix}: ${text}\n`);
  }

  /** GNU's error(): `prog: text` on standard error; the run goes on. */
  error(text: string): void {
    this.err(`${this.prefix}: ${text}\n`);
  }

  /** GNU's fatal(): ends the run. The error is said by whoever catches it (see format). */
  fatal(text: string, loc?: Loc): never {
    throw new MakeError(text, loc);
  }

  /** A fatal error as GNU prints it (see formatFatal). */
  format(e: MakeError): string {
    return formatFatal(e, this.prefix);
  }
}
