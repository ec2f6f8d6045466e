// placeholder
import type { Database } from "../read/database.js";
import type { BuildOptions } from "../remake/options.js";
export interface ConsoleRequest {
  command: "status" | "explain" | "failed" | "log" | "stats" | "clean" | "console";
  words: string[];
  json: boolean;
  argv: string[];
  makeCommand: string;
}
export async function runConsole(_db: Database, _opts: BuildOptions, _req: ConsoleRequest): Promise<number> {
  return 0;
}
