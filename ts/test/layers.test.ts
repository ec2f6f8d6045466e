// The layering of issue 11's point 5 that the read/expand/logic stages keep (until a
// dependency checker covers the whole tree): expand never imports the stages after it (the
// logic stage registers $(bagof) itself), and the rule reader sees the evaluator only through
// its narrow RuleHost interface.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/diff.js";

const src = path.join(repoRoot, "ts/src");

/** The modules `file` imports (type-only imports included), as paths under ts/src. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(src, file), "utf8");
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?from\s+"(\.[^"]+)"/gms)) {
    out.push(path.relative(src, path.resolve(path.dirname(path.join(src, file)), m[1]!)).replace(/\.js$/, ".ts"));
  }
  return out;
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(src, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

describe("layers", () => {
  it("expand imports neither read nor logic", () => {
    const offending = filesUnder("expand").flatMap((f) => importsOf(f).filter((i) => i.startsWith("read/") || i.startsWith("logic/")).map((i) => `${f} -> ${i}`));
    expect(offending).toEqual([]);
  });

  it("the rule reader does not import the evaluator", () => {
    expect(importsOf("read/rules.ts")).not.toContain("read/evaluate.ts");
  });

  it("the logic stage registers $(bagof) with the expander's functions", async () => {
    const { builtinFunctions } = await import("../src/expand/functions/index.js");
    const { bagofFunction } = await import("../src/logic/index.js");
    expect(builtinFunctions.get("bagof")).toBe(bagofFunction);
  });
});
