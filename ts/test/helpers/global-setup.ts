// Compiles the TypeScript once before the suite, so tests that run the CLI as a user would
// (node dist/cli/main.js) see the current sources. `npm test` has already type-checked the
// tree in its build step; here a type error only warns (tsc still emits), so one unfinished
// module does not stop every suite during development.
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
}
