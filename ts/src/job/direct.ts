// GNU Make runs a simple command line without a shell: when SHELL is the default /bin/sh and
// the line holds no shell syntax, it splits the words itself and execs the program. That is
// visible (a missing program gives "make: foo: No such file or directory" and status 127
// instead of the shell's "not found"; `echo -e` reaches /bin/echo, not the shell builtin), so
// tmake takes the same path for the same lines.

/** Characters that make GNU hand the line to the shell. */
const shellSyntax = /[#;"*?[\]&|<>(){}$`^~!\n]/;

/** Shell builtins and keywords GNU always runs through the shell. */
const shellWords = new Set([
  ".",
  ":",
  "alias",
  "bg",
  "break",
  "case",
  "cd",
  "command",
  "continue",
  "eval",
  "exec",
  "exit",
  "export",
  "fc",
  "fg",
  "for",
  "getopts",
  "hash",
  "if",
  "jobs",
  "login",
  "logout",
  "read",
  "readonly",
  "return",
  "set",
  "shift",
  "test",
  "times",
  "trap",
  "type",
  "ulimit",
  "umask",
  "unalias",
  "unset",
  "wait",
  "while",
]);

/** Whether the shell settings allow the direct path at all. */
export function directPathAllowed(shell: string, shellFlags: string): boolean {
  const flags = shellFlags.trim();
  return shell.trim() === "/bin/sh" && (flags === "-c" || flags === "-ec");
}

/** The argument vector for running `command` without a shell, or undefined when it needs one.
 * Handles blanks, single quotes and backslash escapes as the shell would; anything else
 * (double quotes, globbing, redirection, variables, assignments, builtins) goes to the shell.
 * As in GNU's construct_command_argv, shell syntax inside single quotes is only text:
 * `sh -c 'kill -SEGV $$'` starts sh itself, so its signal is the command's. A newline always
 * goes to the shell. */
export function directArgv(command: string): string[] | undefined {
  if (command.includes("\n")) return undefined;
  const words = simpleWords(command);
  const first = words?.[0];
  if (first === undefined || shellWords.has(first) || first.includes("=")) return undefined;
  return words;
}

/** `command` split into words as the shell would, when it holds only blanks, single quotes and
 * backslash escapes (anything goes inside single quotes); undefined when it holds other shell
 * syntax. */
export function simpleWords(command: string): string[] | undefined {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === " " || c === "\t") {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return undefined; // unterminated: let the shell report it
      word = (word ?? "") + command.slice(i + 1, end);
      i = end;
    } else if (c === "\\") {
      if (i + 1 >= command.length) return undefined;
      word = (word ?? "") + command[++i];
    } else if (shellSyntax.test(c)) {
      return undefined;
    } else {
      word = (word ?? "") + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}
