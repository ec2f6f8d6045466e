// Functions with side effects outside the variables: shell (GNU manual 8.14), error, warning,
// info (8.13) and file (8.10).
import fs from "node:fs";
import { strerror } from "./strerror.js";
import type { FunctionContext, MakeFunction } from "./types.js";
import { skipSpace } from "./words.js";
import { stripSpace } from "../../base/words.js";

/** GNU's fold_newlines: CR-LF becomes LF, every LF becomes a space; then trailing newlines are
 * dropped: all of them for $(shell) (`trimAll`), all but the last for `VAR != cmd` (which
 * keeps one space per extra trailing newline). */
export function foldShellOutput(stdout: string, trimAll: boolean): string {
  let out = "";
  let lastNonNewline = -1;
  for (let i = 0; i < stdout.length; i++) {
    const c = stdout[i]!;
    if (c === "\r" && stdout[i + 1] === "\n") continue;
    if (c === "\n") out += " ";
    else {
      lastNonNewline = out.length;
      out += c;
    }
  }
  if (!trimAll && lastNonNewline < out.length - 2) lastNonNewline = out.length - 2;
  return out.slice(0, lastNonNewline + 1);
}

/** $(shell COMMAND): its standard output with newlines folded; sets .SHELLSTATUS. A blank
 * command runs nothing and leaves .SHELLSTATUS alone, as in GNU. */
const shell: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([command], ctx) => {
    if (stripSpace(command!) === "") return "";
    const { stdout, status } = ctx.shell(command!);
    ctx.setGlobal(".SHELLSTATUS", String(status));
    return foldShellOutput(stdout, true);
  },
};

const error: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([message], ctx) => ctx.fatal(message!),
};

const warning: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([message], ctx) => {
    ctx.warn(message!);
    return "";
  },
};

const info: MakeFunction = {
  minArgs: 0,
  maxArgs: 1,
  expandArgs: true,
  fn: ([message], ctx) => {
    ctx.info(message!);
    return "";
  },
};

function inCwd(ctx: FunctionContext, name: string): string {
  return name.startsWith("/") ? name : `${ctx.cwd}/${name}`;
}

function writeFile(ctx: FunctionContext, name: string, append: boolean, text: string | undefined): void {
  let fd: number;
  try {
    fd = fs.openSync(inCwd(ctx, name), append ? "a" : "w");
  } catch (e) {
    return ctx.fatal(`open: ${name}: ${strerror(e)}`);
  }
  try {
    if (text !== undefined) {
      const data = text === "" || !text.endsWith("\n") ? `${text}\n` : text;
      fs.writeSync(fd, data);
    }
  } catch (e) {
    ctx.fatal(`write: ${name}: ${strerror(e)}`);
  } finally {
    fs.closeSync(fd);
  }
}

function readFile(ctx: FunctionContext, name: string): string {
  let fd: number;
  try {
    fd = fs.openSync(inCwd(ctx, name), "r");
  } catch (e) {
    // A missing file reads as nothing.
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return "";
    return ctx.fatal(`open: ${name}: ${strerror(e)}`);
  }
  let data: Buffer;
  try {
    data = fs.readFileSync(fd);
  } catch (e) {
    return ctx.fatal(`read: ${name}: ${strerror(e)}`);
  } finally {
    fs.closeSync(fd);
  }
  let text = data.toString("utf8");
  // One trailing newline goes (with a CR before it).
  if (text.endsWith("\n")) text = text.slice(0, text.endsWith("\r\n") ? -2 : -1);
  return text;
}

/** $(file >NAME[,TEXT]), $(file >>NAME[,TEXT]), $(file <NAME). As in GNU 4.3, the file name is
 * everything after the operator and the blanks that follow it (trailing blanks included). */
const file: MakeFunction = {
  minArgs: 1,
  maxArgs: 2,
  expandArgs: true,
  fn: (args, ctx) => {
    const op = args[0]!;
    if (op.startsWith(">")) {
      const append = op.startsWith(">>");
      const name = skipSpace(op.slice(append ? 2 : 1));
      if (name === "") ctx.fatal("file: missing filename");
      writeFile(ctx, name, append, args[1]);
      return "";
    }
    if (op.startsWith("<")) {
      const name = skipSpace(op.slice(1));
      if (name === "") ctx.fatal("file: missing filename");
      if (args.length > 1) ctx.fatal("file: too many arguments");
      return readFile(ctx, name);
    }
    return ctx.fatal(`file: invalid file operation: ${op}`);
  },
};

export const effectFunctions: ReadonlyMap<string, MakeFunction> = new Map([
  ["shell", shell],
  ["error", error],
  ["warning", warning],
  ["info", info],
  ["file", file],
]);
