// Compiles the TypeScript once before the suite and bundles the command as `npm run build:ts`
// does, so tests that run the CLI as a user would (node dist/cli/main.js) see the current
// sources. `npm test` has already type-checked the tree in its build step; here a type error
// only warns (tsc still emits), so one unfinished module does not stop every suite.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
  const r = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], {
    cwd: root,
    stdio: "inherit",
  });
  if (r.status !== 0) console.warn("global-setup: tsc reported errors; testing what it emitted");
  // The command users run is the bundled dist/cli/main.js (npm run build:ts does both steps).
  const b = spawnSync(process.execPath, [path.join(root, "scripts/bundle-cli.mjs")], { cwd: root, stdio: "inherit" });
  if (b.status !== 0) throw new Error("global-setup: bundling the CLI failed");
}
