// GNU's message(), error() and fatal() (output.c): every line tmake says about a build starts
// with the program's name, and with its MAKELEVEL in brackets inside a recursive make
// (`tmake[1]: ...`). One Messages object belongs to a run, so two builds in one process each
// print their own name.
import { MakeError, type Loc } from "./errors.js";
import { writeErr, writeOut } from "./output.js";

export class Messages {
  /** The prefix of every message: `prog` or `prog[N]`. */
  readonly prefix: string;

  constructor(
    programName: string,
    makelevel: number,
    /** Where standard output and standard error go (the run's buffered streams). */
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

  /** A fatal error as GNU prints it: `FILE:LINE: *** text.  Stop.` or `prog: *** text.  Stop.`
   * (GNU always appends ".  Stop.", so texts are written without a final period). */
  format(e: MakeError): string {
    return e.loc ? `${e.loc.file}:${e.loc.line}: *** ${e.message}.  Stop.` : `${this.prefix}: *** ${e.message}.  Stop.`;
  }
}
