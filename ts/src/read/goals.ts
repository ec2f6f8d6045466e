// Biomake's Prolog goals on rule lines: `targets {goal}: deps {goal}`. The target goal sits
// between the targets and the colon, the deps goal after the prerequisites; a goal may span
// lines (`t: { a(X),` / `      b(X) }`). They are cut out of the line before GNU's rule
// syntax is applied, so `:-`, `=`, `,` inside a goal mean nothing to make.
import { findUnquoted, isSpace } from "./text.js";

/** Position of a biomake goal `{` in a rule line: a `{` not part of `${`, preceded by a blank,
 * a colon or the line start, before any `;` or `#`, outside variable references. */
function goalBraces(line: string): { open: number; close: number }[] {
  const found: { open: number; close: number }[] = [];
  let p = 0;
  const n = line.length;
  while (p < n) {
    const c = line[p]!;
    if (c === "$") {
      const o = line[p + 1];
      if (o === "(" || o === "{") {
        const close = o === "(" ? ")" : "}";
        let count = 0;
        let q = p + 2;
        for (; q < n; q++) {
          if (line[q] === o) count++;
          else if (line[q] === close && --count < 0) break;
        }
        p = q + 1;
      } else p += 2;
      continue;
    }
    if (c === ";" || c === "#") break;
    if (c === "{" && (p === 0 || isSpace(line[p - 1]) || line[p - 1] === ":")) {
      let depth = 0;
      let q = p;
      for (; q < n; q++) {
        if (line[q] === "{") depth++;
        else if (line[q] === "}" && --depth === 0) break;
      }
      found.push({ open: p, close: q < n ? q : -1 });
      if (q >= n) break;
      p = q + 1;
      continue;
    }
    p++;
  }
  return found;
}

export function goalOpen(line: string): boolean {
  if (line.indexOf("{") < 0) return false;
  const g = goalBraces(line);
  return g.length > 0 && g[g.length - 1]!.close < 0;
}

/** Takes biomake `{goal}`s out of a rule line: one before the first colon (target goal), one
 * after it (deps goal). A `{...}` only counts when what follows it is the colon, the end of
 * line, a `;` or a comment; otherwise the line is left alone. */
export function extractGoals(line: string): { rest: string; targetGoal?: string; depsGoal?: string } {
  if (line.indexOf("{") < 0) return { rest: line };
  const braces = goalBraces(line).filter((b) => b.close >= 0);
  if (braces.length === 0) return { rest: line };
  let rest = line;
  let targetGoal: string | undefined;
  let depsGoal: string | undefined;
  // Work from the right so indices stay valid.
  for (let k = braces.length - 1; k >= 0; k--) {
    const b = braces[k]!;
    const after = rest.slice(b.close + 1);
    const before = rest.slice(0, b.open);
    const colonBefore = findUnquoted(before, ":", true).index >= 0;
    const afterTrim = after.replace(/^[ \t]+/, "");
    if (!colonBefore) {
      if (!afterTrim.startsWith(":")) continue;
      targetGoal = rest.slice(b.open + 1, b.close).trim();
    } else {
      if (!(afterTrim === "" || afterTrim.startsWith(";") || afterTrim.startsWith("#"))) continue;
      depsGoal = rest.slice(b.open + 1, b.close).trim();
    }
    rest = before.replace(/[ \t]+$/, "") + (colonBefore ? "" : " ") + after;
  }
  return { rest, targetGoal, depsGoal };
}
