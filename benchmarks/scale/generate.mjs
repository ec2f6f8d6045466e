#!/usr/bin/env node
// Generates the scale benchmark trees.
//   node generate.mjs files N DIR     N source files src/fI.fa and `out/%.aln: src/%.fa`
//   node generate.mjs pairs S DIR     S species sI.fa; every ordered pair gets align-X-Y.
//                                     Makefile (tmake, biomake): one rule `align-$X-$Y: $X.fa $Y.fa`;
//                                     Makefile.gnu (GNU make): the same as explicit rules.
import fs from "node:fs";
import path from "node:path";

const [kind, nText, dir] = process.argv.slice(2);
const n = Number(nText);
if (!dir || !Number.isInteger(n) || n <= 0 || (kind !== "files" && kind !== "pairs")) {
  console.error("usage: generate.mjs files|pairs N DIR");
  process.exit(2);
}
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(dir, { recursive: true });

if (kind === "files") {
  fs.mkdirSync(path.join(dir, "src"));
  fs.mkdirSync(path.join(dir, "out"));
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, "src", `f${i}.fa`), `>f${i}\nACGT\n`);
  const mk = ["SRCS := $(wildcard src/*.fa)", "ALNS := $(patsubst src/%.fa,out/%.aln,$(SRCS))", "all: $(ALNS)", "out/%.aln: src/%.fa", "\tcp $< $@", ""].join(
    "\n",
  );
  fs.writeFileSync(path.join(dir, "Makefile"), mk);
  fs.writeFileSync(path.join(dir, "Makefile.gnu"), mk);
} else {
  const species = Array.from({ length: n }, (_, i) => `s${i}`);
  for (const s of species) fs.writeFileSync(path.join(dir, `${s}.fa`), `>${s}\nACGT\n`);
  const targets = [];
  for (const x of species) for (const y of species) if (x !== y) targets.push(`align-${x}-${y}`);
  const all = `all: ${targets.join(" ")}\n`;
  fs.writeFileSync(path.join(dir, "Makefile"), `${all}align-$X-$Y: $X.fa $Y.fa\n\tcat $X.fa $Y.fa > $@\n`);
  const explicit = targets.map((t) => {
    const [, x, y] = t.split("-");
    return `${t}: ${x}.fa ${y}.fa\n\tcat ${x}.fa ${y}.fa > $@\n`;
  });
  fs.writeFileSync(path.join(dir, "Makefile.gnu"), all + explicit.join(""));
}
console.log(`${kind} ${n} -> ${dir}`);
