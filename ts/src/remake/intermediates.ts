// GNU's remove_intermediates (file.c): at the end of a run, or when make dies of a signal, the
// intermediate files this run made are deleted, echoed as one `rm a b` line (or said one by
// one, `*** Deleting intermediate file 'a'`, when dying), in the order of GNU's file table.
import fs from "node:fs";
import path from "node:path";
import { BUILTIN_SUFFIX_RULES, DEFAULT_SUFFIXES } from "../implicit/builtin.js";
import type { RemakeContext } from "./context.js";
import { Status } from "./files.js";
import { inGnuTableOrder } from "./gnu-file-order.js";
import type { BuildEvents } from "./events.js";

/** What deleting intermediates depends on in the phase that ends. */
export interface RemovalOptions {
  question: boolean;
  touch: boolean;
  dryRun: boolean;
  /** -s or .SILENT: no `rm` line. */
  silent: boolean;
}

/** Deletes the intermediate files the run made (see the file comment). */
export function removeIntermediates(ctx: RemakeContext, opts: RemovalOptions, events: BuildEvents, dyingOfSignal = false): void {
  if (opts.question || opts.touch || ctx.specials.allSecondary) return;
  const removed: string[] = [];
  for (const f of ctx.files.all()) {
    if (!f.intermediate || f.precious || f.secondary || f.cmdTarget || f.notIntermediate) continue;
    if (f.status === Status.None) continue;
    if (!opts.dryRun) {
      try {
        fs.unlinkSync(path.resolve(ctx.opts.cwd, f.name));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") continue;
        ctx.msg.error(`unlink: ${f.name}: ${(e as Error).message}`);
      }
      if (events.active) events.emit({ type: "deleted", target: f.name, why: "intermediate" });
    }
    if (!f.dontcare) removed.push(f.name);
  }
  if (removed.length === 0) return;
  const ordered = inGnuTableOrder(removed, enteredNames(ctx));
  if (dyingOfSignal) for (const name of ordered) ctx.msg.err(`${ctx.msg.prefix}: *** Deleting intermediate file '${name}'\n`);
  else if (!opts.silent) ctx.msg.out(`rm ${ordered.join(" ")}\n`);
}

/** Names in the order GNU's file table holds them (see gnu-file-order.ts): what GNU entered
 * before reading the makefiles, then every name in the order it was entered. */
function* enteredNames(ctx: RemakeContext): Iterable<string> {
  yield ".SUFFIXES";
  if (!ctx.opts.noBuiltinRules) {
    yield* DEFAULT_SUFFIXES;
    yield* BUILTIN_SUFFIX_RULES.keys();
  }
  yield ".DEFAULT";
  for (const f of ctx.files.all()) yield f.name;
}
