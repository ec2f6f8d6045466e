// What the stage order (checked for the whole tree by dependency-cruiser in `npm test`, see
// .dependency-cruiser.cjs) does not say: the rule reader sees the evaluator only through its
// narrow RuleHost interface, and the logic stage registers $(bagof) with expand's functions.
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

describe("layers", () => {
  it("the rule reader does not import the evaluator", () => {
    expect(importsOf("read/rules.ts")).not.toContain("read/evaluate.ts");
  });

  it("the logic stage registers $(bagof) with the expander's functions", async () => {
    const { builtinFunctions } = await import("../src/expand/functions/index.js");
    const { bagofFunction } = await import("../src/logic/index.js");
    expect(builtinFunctions.get("bagof")).toBe(bagofFunction);
  });
});
