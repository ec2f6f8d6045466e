// GNU's special targets, gathered from the rules that name them.
import type { Database, RecipeLine, Rule } from "../read/database.js";
import type { Loc } from "../messages.js";

export interface Specials {
  phony: Set<string>;
  precious: Set<string>;
  /** .PRECIOUS entries holding `%` (they make intermediates from that pattern precious). */
  preciousPatterns: Set<string>;
  intermediate: Set<string>;
  secondary: Set<string>;
  allSecondary: boolean;
  notIntermediate: Set<string>;
  allNotIntermediate: boolean;
  silent: Set<string>;
  allSilent: boolean;
  ignore: Set<string>;
  allIgnore: boolean;
  deleteOnError: boolean;
  oneShell: boolean;
  notParallel: boolean;
  exportAll: boolean;
  posix: boolean;
  defaultRecipe?: { lines: RecipeLine[]; loc: Loc };
}

/** Names that are special targets (never goals, never ordinary files). */
export const SPECIAL_TARGETS = new Set([
  ".PHONY",
  ".SUFFIXES",
  ".DEFAULT",
  ".PRECIOUS",
  ".INTERMEDIATE",
  ".SECONDARY",
  ".NOTINTERMEDIATE",
  ".SECONDEXPANSION",
  ".DELETE_ON_ERROR",
  ".IGNORE",
  ".LOW_RESOLUTION_TIME",
  ".SILENT",
  ".EXPORT_ALL_VARIABLES",
  ".NOTPARALLEL",
  ".ONESHELL",
  ".POSIX",
]);

export function collectSpecials(db: Database): Specials {
  const s: Specials = {
    phony: new Set(),
    precious: new Set(),
    preciousPatterns: new Set(),
    intermediate: new Set(),
    secondary: new Set(),
    allSecondary: false,
    notIntermediate: new Set(),
    allNotIntermediate: false,
    silent: new Set(),
    allSilent: false,
    ignore: new Set(),
    allIgnore: false,
    deleteOnError: false,
    oneShell: false,
    notParallel: false,
    exportAll: false,
    posix: false,
  };
  const each = (r: Rule, into: Set<string>, all?: () => void): void => {
    const names = r.names;
    if (r.prereqStart === r.end && all) all();
    for (let i = r.prereqStart; i < r.end; i++) into.add(names[i]!);
  };
  for (const r of db.rules) {
    const names = r.names;
    for (let i = r.start; i < r.prereqStart; i++) {
      const t = names[i]!;
      // Every special target starts with a dot.
      if (t.charCodeAt(0) !== 46 /* . */) continue;
      switch (t) {
        case ".PHONY":
          each(r, s.phony);
          break;
        case ".PRECIOUS":
          each(r, s.precious);
          break;
        case ".INTERMEDIATE":
          each(r, s.intermediate);
          break;
        case ".SECONDARY":
          each(r, s.secondary, () => (s.allSecondary = true));
          break;
        case ".NOTINTERMEDIATE":
          each(r, s.notIntermediate, () => (s.allNotIntermediate = true));
          break;
        case ".SILENT":
          each(r, s.silent, () => (s.allSilent = true));
          break;
        case ".IGNORE":
          each(r, s.ignore, () => (s.allIgnore = true));
          break;
        case ".DELETE_ON_ERROR":
          s.deleteOnError = true;
          break;
        case ".ONESHELL":
          s.oneShell = true;
          break;
        case ".NOTPARALLEL":
          s.notParallel = true;
          break;
        case ".EXPORT_ALL_VARIABLES":
          s.exportAll = true;
          break;
        case ".POSIX":
          s.posix = true;
          break;
        case ".DEFAULT":
          if (r.hasRecipe) s.defaultRecipe = { lines: r.recipeLines(), loc: r.recipeLoc };
          else if (r.prereqStart === r.orderOnlyStart) s.defaultRecipe = undefined;
          break;
        default:
          break;
      }
    }
  }
  for (const p of s.precious) if (p.includes("%")) s.preciousPatterns.add(p);
  return s;
}
