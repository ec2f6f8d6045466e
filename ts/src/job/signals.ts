// How GNU Make names a signal that killed a recipe: it prints strsignal(3)'s text
// ("make: *** [Makefile:3: t] Killed"). Node reports the signal by name ("SIGKILL"), so this
// table maps names to glibc's descriptions.
import os from "node:os";

const descriptions: Record<string, string> = {
  SIGHUP: "Hangup",
  SIGINT: "Interrupt",
  SIGQUIT: "Quit",
  SIGILL: "Illegal instruction",
  SIGTRAP: "Trace/breakpoint trap",
  SIGABRT: "Aborted",
  SIGIOT: "Aborted",
  SIGBUS: "Bus error",
  SIGFPE: "Floating point exception",
  SIGKILL: "Killed",
  SIGUSR1: "User defined signal 1",
  SIGSEGV: "Segmentation fault",
  SIGUSR2: "User defined signal 2",
  SIGPIPE: "Broken pipe",
  SIGALRM: "Alarm clock",
  SIGTERM: "Terminated",
  SIGSTKFLT: "Stack fault",
  SIGCHLD: "Child exited",
  SIGCONT: "Continued",
  SIGSTOP: "Stopped (signal)",
  SIGTSTP: "Stopped",
  SIGTTIN: "Stopped (tty input)",
  SIGTTOU: "Stopped (tty output)",
  SIGURG: "Urgent I/O condition",
  SIGXCPU: "CPU time limit exceeded",
  SIGXFSZ: "File size limit exceeded",
  SIGVTALRM: "Virtual timer expired",
  SIGPROF: "Profiling timer expired",
  SIGWINCH: "Window changed",
  SIGIO: "I/O possible",
  SIGPOLL: "I/O possible",
  SIGPWR: "Power failure",
  SIGSYS: "Bad system call",
};

/** strsignal()-style text for a signal name such as "SIGTERM". */
export function describeSignal(name: string): string {
  return descriptions[name] ?? `Signal ${name.replace(/^SIG/, "")}`;
}

/** The name of signal number `n` ("SIGKILL"), or undefined. */
export function signalName(n: number): string | undefined {
  for (const [name, num] of Object.entries(os.constants.signals)) if (num === n) return name;
  return undefined;
}
