// The JS fallback of Backend.openProofs (crates/fsmeta's proofs.rs): the proofs an earlier run
// kept, read once on the first check and checked one file at a time on the calling thread. It
// reads exactly the lines the Rust module reads (names without escapes) and gives the same
// answers.
import fs from "node:fs";
import path from "node:path";
import { statIdentities } from "./js-stat.js";
import type { ProofReader, ProofsChecked, RecordTarget } from "./types.js";

interface Proof {
  ids: string[];
  deps: string[];
  size: number;
  hex: string;
}

/** A JSON string without escapes: its text, or undefined. */
function plainJsonString(s: string): string | undefined {
  if (s.length < 2 || !s.startsWith('"') || !s.endsWith('"')) return undefined;
  const inner = s.slice(1, -1);
  return inner.includes('"') || inner.includes("\\") ? undefined : inner;
}

/** One line of the file (proofs.rs's parse_line), or undefined. */
function parseLine(line: string): [string, Proof] | undefined {
  const fields = line.split("\t");
  if (fields.length !== 4) return undefined;
  const [quoted, ids, content, depsField] = fields as [string, string, string, string];
  const name = plainJsonString(quoted);
  const space = content.indexOf(" ");
  if (name === undefined || space < 0) return undefined;
  let deps: string[] = [];
  if (depsField !== "[]") {
    if (!depsField.startsWith("[") || !depsField.endsWith("]")) return undefined;
    const parts = depsField.slice(1, -1).split(",").map(plainJsonString);
    if (parts.some((d) => d === undefined)) return undefined;
    deps = parts as string[];
  }
  const idList = ids.split(" ");
  const sizeText = content.slice(0, space);
  if (idList.length !== deps.length + 2 || idList.some((id) => id === "") || !/^\d+$/.test(sizeText)) return undefined;
  return [name, { ids: idList, deps, size: Number(sizeText), hex: content.slice(space + 1) }];
}

export class JsProofReader implements ProofReader {
  private proofs: Map<string, Proof> | undefined;

  constructor(
    private readonly file: string,
    private readonly header: string,
  ) {}

  private read(): Map<string, Proof> {
    if (this.proofs !== undefined) return this.proofs;
    const proofs = new Map<string, Proof>();
    this.proofs = proofs;
    let text: string;
    try {
      // As the Rust module: a file that is not UTF-8 holds no proof.
      text = new TextDecoder("utf-8", { fatal: true }).decode(fs.readFileSync(this.file));
    } catch {
      return proofs;
    }
    const lines = text.split("\n");
    if (lines[0] !== this.header) return proofs;
    for (const line of lines.slice(1)) {
      const p = parseLine(line);
      if (p !== undefined) proofs.set(p[0], p[1]);
    }
    return proofs;
  }

  check(targets: readonly RecordTarget[], base: string): Promise<ProofsChecked> {
    const proofs = this.read();
    const holds = new Uint8Array(targets.length);
    const sizes = new Float64Array(targets.length).fill(-1);
    const hex: string[] = [];
    const depStart = new Uint32Array(targets.length + 1);
    const deps: string[] = [];
    const depTimes: number[] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const proof = proofs.get(t.name);
      hex.push("");
      if (proof !== undefined) {
        const now = statIdentities([t.record, t.path, ...proof.deps.map((d) => path.resolve(base, d))]);
        if (now.every((id, k) => id?.id === proof.ids[k])) {
          holds[i] = 1;
          sizes[i] = proof.size;
          hex[i] = proof.hex;
          deps.push(...proof.deps);
          for (const id of now.slice(2)) depTimes.push(id!.mtimeMs);
        }
      }
      depStart[i + 1] = deps.length;
    }
    return Promise.resolve({ holds, sizes, hex, depStart, deps, depTimes: Float64Array.from(depTimes) });
  }
}
