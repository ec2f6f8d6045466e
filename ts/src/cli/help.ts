// The --help text, GNU's usage() in its layout (names in a column, help from column 31), made
// from the switch table: GNU's switches, then biomake's, then the ones known but not built yet.
import { switches, type Switch } from "./switches.js";

const COLUMN = 30;
const WIDTH = 79;

/** How the help names a switch: `-f FILE, --file=FILE, --makefile=FILE`. */
function names(s: Switch): string {
  const arg = s.argName ?? "ARG";
  const short = (l: string): string => {
    switch (s.arg) {
      case "none":
        return `-${l}`;
      case "number":
        return `-${l} [${arg}]`;
      case "attached":
      case "optional":
        return `-${l}[${arg}]`;
      default:
        return `-${l} ${arg}`;
    }
  };
  const long = (l: string): string => {
    switch (s.arg) {
      case "none":
        return `--${l}`;
      case "number":
      case "attached":
      case "optional":
        return `--${l}[=${arg}]`;
      case "pair":
        return `--${l} ${arg}`;
      default:
        return `--${l}=${arg}`;
    }
  };
  return [...(s.letter !== undefined ? [short(s.letter)] : []), ...s.long.map(long)].join(", ");
}

/** Breaks `text` into lines of at most `width` characters. With `dashes` false no line starts
 * with a dash, so that tools reading the help for options (bash-completion's _parse_help) take
 * only the names for options. */
function wrap(text: string, width: number, dashes = false): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line === "" || line.length + 1 + word.length <= width) line = line === "" ? word : `${line} ${word}`;
    else if (dashes || !word.startsWith("-")) {
      lines.push(line);
      line = word;
    } else {
      // The word before a dash goes to the next line with it.
      const cut = line.lastIndexOf(" ");
      lines.push(line.slice(0, cut));
      line = `${line.slice(cut + 1)} ${word}`;
    }
  }
  if (line !== "") lines.push(line);
  return lines;
}

/** One switch's entry: its names, and its help at column 31 (on the next line when the names
 * reach it). */
function entry(s: Switch, help: string): string[] {
  const head = `  ${names(s)}`;
  const body = wrap(help, WIDTH - COLUMN);
  const pad = " ".repeat(COLUMN);
  if (head.length < COLUMN - 1) return [head.padEnd(COLUMN) + body[0], ...body.slice(1).map((l) => pad + l)];
  // A long list of names is broken after a comma, as the help of -W would not fit otherwise.
  return [...wrap(head.trimStart(), WIDTH - 2, true).map((l) => `  ${l}`), ...body.map((l) => pad + l)];
}

/** The help text, without a final newline. `program` is the name in the usage line. */
export function helpText(program = "tmake"): string {
  const all = switches as readonly Switch[];
  const block = (title: string, test: (s: Switch) => boolean): string[] => [
    title,
    ...all.filter((s) => s.help !== undefined && test(s)).flatMap((s) => entry(s, s.help!)),
  ];
  return [
    `Usage: ${program} [options] [target] ...`,
    ...block("Options:", (s) => s.from === "gnu"),
    "",
    ...block("The build journal and its console (tmake's own):", (s) => s.from === "tmake"),
    "",
    ...block("Options from biomake:", (s) => s.from === "biomake" && !s.refused),
    "",
    ...block("biomake's options that tmake knows but does not support yet:", (s) => s.refused === true),
  ].join("\n");
}
