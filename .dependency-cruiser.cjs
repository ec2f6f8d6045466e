// The layering that docs/architecture.md describes, checked in `npm test`
// (`npx depcruise ts/src`): no import cycles, and no module imports a later stage. Type-only
// imports count too (tsPreCompilationDeps), so an interface cannot smuggle a dependency in.
//
// Stages, first to last (a stage may import the ones before it):
//   basics (ts/src/base, messages.ts, output.ts, run-context.ts) < native < job < expand
//   < read < implicit < logic < remake < hash < journal < cli < index.ts
const stages = [
  "base|messages\\.ts|output\\.ts|run-context\\.ts",
  "native",
  "job",
  "expand",
  "read",
  "implicit",
  "logic",
  "remake",
  "hash",
  "journal",
  "cli",
  "index\\.ts",
];

/** A path pattern for the modules of stage i. */
const stage = (i) => `^ts/src/(${stages[i]})`;

/** Stage i imports none of the stages after it. */
const later = stages.slice(0, -1).map((name, i) => ({
  name: `stage-order-${name.replace(/\\./g, "").split("|")[0]}`,
  comment: `${name} is before ${stages.slice(i + 1).join(", ")}: it must not import them (see docs/architecture.md)`,
  severity: "error",
  from: { path: stage(i) },
  to: { path: `^ts/src/(${stages.slice(i + 1).join("|")})` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "a cycle of imports ties stages (or modules) that should stand alone",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...later,
    {
      name: "queue-engines-from-cli",
      comment:
        "the queue engines (ts/src/job/queue) sit on top of the job stage's runners: the rest of the job stage and the stages after it reach them only through the JobRunner seam; the CLI installs them",
      severity: "error",
      from: { path: "^ts/src/", pathNot: "^ts/src/(cli|job/queue)/" },
      to: { path: "^ts/src/job/queue/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^ts/src/native/binding\\.ts$" },
  },
};
