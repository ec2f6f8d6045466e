// Before reading: load Prolog if the makefiles use it while they are read.
//
// Reading is synchronous and $(bagof ...) may be expanded while reading (`all: $(bagof F,...)`,
// `X := $(bagof ...)`), with the clauses of the `prolog` blocks above it. So before reading,
// the makefiles named on the command line (or found by GNU's default names) and the --eval
// texts are scanned as text: if one holds a `prolog` block or a `bagof`, the engine is loaded
// and their blocks are consulted, in file order. After reading, createGoalEvaluator replaces
// them with exactly the blocks the reader recorded if those differ (conditionals, includes).
import fs from "node:fs";
import path from "node:path";
import type { ReadOptions } from "../read/database.js";
import { readSourceText } from "../read/source.js";
import { processOutput, type LogicOutput } from "./engine.js";
import { sessionFor, type PrologBlock } from "./session.js";

const DEFAULT_MAKEFILES = ["GNUmakefile", "makefile", "Makefile"];

/** `prolog ... endprolog` blocks of a makefile's text, as the reader finds them (a line that is
 * `prolog` alone opens one, a line that is `endprolog` alone closes it). */
export function scanPrologBlocks(file: string, text: string): PrologBlock[] {
  const blocks: PrologBlock[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== "prolog" || lines[i]!.startsWith("\t")) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== "endprolog"; i++) body.push(lines[i]!);
    if (i >= lines.length) break; // unterminated: the reader reports it
    blocks.push({ text: body.join("\n"), loc: { file, line: start + 1 } });
  }
  return blocks;
}

/** Does this makefile text need Prolog while it is read? */
export function usesPrologWhileReading(text: string): boolean {
  return text.includes("bagof") || /^[ ]*prolog[ \t]*$/m.test(text);
}

/** The makefiles readMakefiles will read first that may need Prolog while being read, with
 * their text (stdin is not scanned). A makefile is first looked at as bytes: one without
 * `bagof` and `prolog` anywhere needs no Prolog, and is not decoded (a big makefile is read
 * again by the reader; decoding it twice cost as much as a tenth of the reading). */
function makefileTexts(opts: ReadOptions): { file: string; text: string }[] {
  const names = opts.makefiles.length > 0 ? opts.makefiles : DEFAULT_MAKEFILES.filter((n) => isFile(path.join(opts.cwd, n))).slice(0, 1);
  const out: { file: string; text: string }[] = [];
  for (const name of names) {
    const file = path.resolve(opts.cwd, name);
    // A stream (standard input, `-f <(...)`) can be read once only: by the reader.
    if (name === "-" || !isFile(file)) continue;
    try {
      const bytes = fs.readFileSync(file);
      if (bytes.includes("bagof") || bytes.includes("prolog")) out.push({ file: name, text: readSourceText(file) });
    } catch {
      // The reader reports missing makefiles.
    }
  }
  return out;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Loads the Prolog engine and consults the makefiles' blocks when the makefiles (or --eval
 * texts) need Prolog while being read; does nothing, quickly, otherwise. Throws MakeError for
 * a syntax error in a block. Returns whether Prolog was loaded. */
export async function prepareLogic(opts: ReadOptions, output: LogicOutput = processOutput): Promise<boolean> {
  const texts = [...opts.evalStrings.map((text) => ({ file: "<command-line>", text })), ...makefileTexts(opts)];
  if (!texts.some((t) => usesPrologWhileReading(t.text))) return false;
  const blocks = texts.flatMap((t) => scanPrologBlocks(t.file, t.text));
  await sessionFor(opts.run, blocks, opts.cwd, output);
  return true;
}
