// MAKEFLAGS written by one tmake must mean the same to the tmake it starts ($(MAKE)): encoding
// a command line and decoding it again gives back the flags, include directories, --eval
// strings and command-line variables (their final values).
import { describe, expect, it } from "vitest";
import { parseAssignment } from "../src/cli/assignments.js";
import { applyMakeflags, encodeMakeflags, splitEscaped } from "../src/cli/makeflags.js";
import { parseCommandLine } from "../src/cli/parse.js";
import { emptyCommandLine, type CommandLine } from "../src/cli/state.js";

function parsed(args: string[]): CommandLine {
  const cl = emptyCommandLine();
  parseCommandLine(args, cl);
  return cl;
}

/** The words of a MAKEFLAGS value, variables sorted (GNU lists them in no fixed order). */
function words(value: string): string[] {
  const [flags, vars] = value.split(" -- ");
  return [flags!, ...(vars === undefined ? [] : ["--", ...vars.split(/(?<!\\) /).sort()])];
}

/** What a recipe (or the child's environment) sees: MAKEFLAGS expanded once; its text holds
 * no variable references, only `$$`. */
const expanded = (value: string): string => value.replace(/\$\$/g, "$");

function roundTrip(args: string[]): { sent: string[]; received: string[] } {
  const sent = encodeMakeflags(parsed(args), 0);
  const child = emptyCommandLine();
  applyMakeflags(expanded(sent), child, parseAssignment);
  return { sent: words(sent), received: words(encodeMakeflags(child, 0)) };
}

describe("MAKEFLAGS round trip", () => {
  for (const args of [
    ["-k", "-s"],
    ["-Bnqt", "-i", "-r", "-R", "-e"],
    ["-I", "a dir", "-I", "back\\slash", "-j3"],
    ["-j"],
    ["--no-print-directory", "--debug=b,v"],
    ["--eval", "X = 1 # comment", "-E", "Y=$(X)"],
    ["X=1", "Y=a b", "Z:=$(X)", "X+=2", "W?=w", "W=v"],
    ["-k", "--", "A=tab\there"],
    ["-I", "$dir", "--eval=X=$(Y)", "V=$(Y)", "W=$$x"],
  ]) {
    it(`${JSON.stringify(args)}`, () => {
      const { sent, received } = roundTrip(args);
      expect(received).toEqual(sent);
    });
  }

  it("keeps command-line variables' final values", () => {
    const child = emptyCommandLine();
    applyMakeflags(expanded(encodeMakeflags(parsed(["X=1", "X+=2", "Y=a b", "Y?=no", "Z=$(X)$$"]), 0)), child, parseAssignment);
    const final = new Map(child.variables.map((v) => [v.name, v.value]));
    expect(final.get("X")).toBe("1 2");
    expect(final.get("Y")).toBe("a b");
    expect(final.get("Z")).toBe("$(X)$$");
  });

  it("applies the flags themselves", () => {
    const child = emptyCommandLine();
    applyMakeflags(encodeMakeflags(parsed(["-kB", "-I", "inc"]), 0), child, parseAssignment);
    expect(child.keepGoing).toBe(true);
    expect(child.alwaysMake).toBe(true);
    expect(child.includeDirs).toEqual(["inc"]);
  });

  it("splits on unescaped blanks only", () => {
    expect(splitEscaped("a\\ b c\\\\ d")).toEqual(["a b", "c\\", "d"]);
  });

  it("ignores letters and options it does not know, as GNU does", () => {
    const child = emptyCommandLine();
    applyMakeflags("xkZ --jobserver-auth=3,4 -Otarget -l 2 -fMakefile -C dir", child, parseAssignment);
    // -O is known (and handed on), and so is the jobserver (a sub-make of this one shares it,
    // as GNU's do); -l takes the number in the next word, as GNU's decode_env_switches does
    // (`MAKEFLAGS='-l 2' make` hands on -l2); x, Z, -f and -C are not for a sub-make.
    expect(encodeMakeflags(child, 0)).toBe("k -l2 -Otarget --jobserver-auth=3,4");
  });
});
