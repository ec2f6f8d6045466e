// GNU Make's recipe-line prefixes and the text a shell finally receives.
//
// A recipe line may start with any mix of `@` (do not echo), `-` (ignore errors) and `+`
// (run even under -n/-t/-q), with blanks between and around them. Backslash-newlines reach
// the shell unchanged (the reader already removed the recipe prefix after each one).

export interface LineFlags {
  /** `@`: do not echo this line. */
  silent: boolean;
  /** `-`: a failure of this line is reported as "(ignored)" and the recipe goes on. */
  ignoreErrors: boolean;
  /** `+`: run this line even with -n. */
  force: boolean;
}

const isBlank = (c: string | undefined): boolean => c === " " || c === "\t";

/** Strips the leading blanks and prefix characters of one command. */
export function splitPrefixes(text: string): { flags: LineFlags; body: string } {
  const flags: LineFlags = { silent: false, ignoreErrors: false, force: false };
  let i = 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (c === "@") flags.silent = true;
    else if (c === "-") flags.ignoreErrors = true;
    else if (c === "+") flags.force = true;
    else if (!isBlank(c)) break;
  }
  return { flags, body: text.slice(i) };
}

/** Whether a command (after its prefixes) is empty: blanks and backslash-newlines only. GNU
 * builds no argument list for it, so it is neither echoed nor run, and under -q it does not
 * make the target "not up to date". */
export function isEmptyCommand(body: string): boolean {
  return /^(?:\s|\\\n)*$/.test(body);
}

/** Shells GNU treats as POSIX-style: .ONESHELL strips prefixes from their inner lines. */
const posixShells = new Set(["sh", "bash", "dash", "ksh", "rksh", "zsh", "ash"]);

export function isPosixShell(shell: string): boolean {
  const base = shell.trim().split(/\s+/)[0]?.split("/").pop() ?? "";
  return posixShells.has(base);
}

/** The one script that .ONESHELL hands to the shell. Only the first line's prefixes count for
 * the whole recipe; with a POSIX shell, every later line also loses its leading blanks and
 * prefix characters (so adding .ONESHELL to an existing makefile keeps it working), except
 * the continuations of a backslash-newline. */
export function oneShellScript(lines: string[], posixShell: boolean): { flags: LineFlags; script: string } {
  const { flags, body } = splitPrefixes(lines.join("\n"));
  if (!posixShell) return { flags, script: body };
  let script = "";
  let lineStart = false;
  for (let i = 0; i < body.length; i++) {
    if (lineStart) {
      while (i < body.length && (isBlank(body[i]) || body[i] === "@" || body[i] === "-" || body[i] === "+")) i++;
      lineStart = false;
      if (i >= body.length) break;
    }
    const c = body[i]!;
    script += c;
    if (c === "\n" && body[i - 1] !== "\\") lineStart = true;
  }
  return { flags, script };
}
