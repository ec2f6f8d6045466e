// Hash records: what a target's content and its prerequisites' contents were when it was last
// built successfully. Two formats, one meaning:
//
// - biomake's (MD5, `-H`): `.biomake/md5/<base name>` in the target's directory, Prolog terms
//   written exactly as biomake's update_md5_file writes them (md5hash.pl):
//
//       md5_hash("T",SIZE,"HEX").
//       md5_valid("T",SIZE,"HEX",X) :-
//         md5_check("DEP",SIZE,"HEX",X),
//         md5_check("DEP2",SIZE,"HEX",X).
//
//   (`md5_valid(...,X).` alone for a target without prerequisites). biomake and tmake read each
//   other's records.
// - tmake's own (`--hash-algo blake3`), in the state folder (state.ts): a header line naming the
//   format and the algorithm, then the target and each prerequisite with its size and digest.
//
// A record that cannot be read as one of these, or that was written for another name or another
// algorithm, is foreign: the caller treats it as missing and says so once.
import path from "node:path";
import type { HashAlgorithm } from "../native/types.js";

/** One file as a record remembers it. */
export interface RecordedFile {
  name: string;
  size: number;
  hex: string;
}

/** A target's record: the target as built, and its prerequisites as they were then. */
export interface HashRecord {
  /** The target when it was built (biomake's md5_valid): it is up to date while it still is. */
  target: RecordedFile;
  /** The prerequisites when it was built (biomake's md5_check goals). */
  prereqs: RecordedFile[];
  /** biomake's md5_hash: what the target held when the record was written, trusted as its
   * digest while the record is not older than the file. biomake writes it equal to `target`;
   * absent means equal. */
  cached?: RecordedFile;
}

/** Hex digest lengths per algorithm. */
const HEX_LENGTH: Record<HashAlgorithm, number> = { md5: 32, blake3: 64 };

/** Where biomake keeps the record of `name` (relative to the build's directory, as the name is):
 * biomake's biomake_private_filename(T, ["md5"], F). */
export function biomakeRecordPath(name: string): string {
  const slash = name.lastIndexOf("/");
  // A plain `dir/base` name (the usual case) needs no path module.
  if (slash > 0 && slash < name.length - 1 && !name.includes("//") && !name.startsWith("./"))
    return `${name.slice(0, slash)}/.biomake/md5/${name.slice(slash + 1)}`;
  const dir = path.dirname(name);
  const base = path.basename(name);
  return dir === "." ? `.biomake/md5/${base}` : `${dir}/.biomake/md5/${base}`;
}

/** The scratch folder beside a biomake record (biomake's `.biomake/tmp`), where a record is
 * written before it is renamed into place. */
export function biomakeScratchDir(name: string): string {
  const dir = path.dirname(name);
  return dir === "." ? ".biomake/tmp" : `${dir}/.biomake/tmp`;
}

/** A name as a Prolog double-quoted string. biomake writes the name raw (`~w`), which is the
 * same text for every name without a quote, a backslash or a control character; for those,
 * the escapes make a record that biomake's read_term reads back as the name. */
function prologString(name: string): string {
  // eslint-disable-next-line no-control-regex
  if (!/["\\\x00-\x1f]/.test(name)) return `"${name}"`;
  let out = '"';
  for (const ch of name) {
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch.charCodeAt(0) < 0x20) out += `\\x${ch.charCodeAt(0).toString(16)}\\`;
    else out += ch;
  }
  return out + '"';
}

/** The text of a biomake record, byte for byte as biomake's update_md5_file writes it. */
export function formatBiomakeRecord(r: HashRecord): string {
  const t = r.target;
  const head = `${prologString(t.name)},${t.size},"${t.hex}"`;
  let text = `md5_hash(${head}).\n`;
  if (r.prereqs.length === 0) return `${text}md5_valid(${head},X).\n`;
  text += `md5_valid(${head},X) :-\n`;
  text += r.prereqs.map((p) => `  md5_check(${prologString(p.name)},${p.size},"${p.hex}",X)`).join(",\n");
  return `${text}.\n`;
}

// ---------- reading Prolog terms (the subset records use) ----------

type Token = { kind: "str" | "atom" | "int" | "var" | "punct"; text: string };

/** Splits record text into tokens: quoted strings and atoms (with Prolog's escapes), integers,
 * variables, atoms, and the punctuation `( ) , .` and `:-`. Throws on anything else. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      i++;
      continue;
    }
    if (c === "%") {
      while (i < n && text[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= n) throw new Error("unterminated string");
        const d = text[i]!;
        if (d === c) {
          if (text[i + 1] === c) {
            s += c;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (d === "\\") {
          const e = text[i + 1];
          i += 2;
          if (e === "n") s += "\n";
          else if (e === "t") s += "\t";
          else if (e === "\\" || e === '"' || e === "'" || e === "`") s += e;
          else if (e === "\n") s += "";
          else if (e === "x") {
            const end = text.indexOf("\\", i);
            if (end < 0) throw new Error("bad escape");
            s += String.fromCodePoint(parseInt(text.slice(i, end), 16));
            i = end + 1;
          } else throw new Error("bad escape");
          continue;
        }
        s += d;
        i++;
      }
      out.push({ kind: c === '"' ? "str" : "atom", text: s });
      continue;
    }
    if (c >= "0" && c <= "9") {
      let j = i;
      while (j < n && text[j]! >= "0" && text[j]! <= "9") j++;
      out.push({ kind: "int", text: text.slice(i, j) });
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i;
      while (j < n && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      const word = text.slice(i, j);
      out.push({ kind: c === "_" || (c >= "A" && c <= "Z") ? "var" : "atom", text: word });
      i = j;
      continue;
    }
    if (c === ":" && text[i + 1] === "-") {
      out.push({ kind: "punct", text: ":-" });
      i += 2;
      continue;
    }
    if (c === "(" || c === ")" || c === "," || c === ".") {
      out.push({ kind: "punct", text: c });
      i++;
      continue;
    }
    throw new Error(`unexpected '${c}'`);
  }
  return out;
}

interface Term {
  functor: string;
  args: Token[];
}

/** Reads `name(arg, ...)` with plain arguments. */
function readTerm(toks: Token[], at: { i: number }): Term {
  const f = toks[at.i++];
  if (f?.kind !== "atom") throw new Error("expected a term");
  if (toks[at.i++]?.text !== "(") throw new Error("expected '('");
  const args: Token[] = [];
  for (;;) {
    const a = toks[at.i++];
    if (a === undefined || a.kind === "punct") throw new Error("expected an argument");
    args.push(a);
    const sep = toks[at.i++];
    if (sep?.text === ")") break;
    if (sep?.text !== ",") throw new Error("expected ',' or ')'");
  }
  return { functor: f.text, args };
}

/** The (name, size, hex) of md5_hash/3, md5_valid/4 and md5_check/4 terms. */
function recorded(t: Term, arity: number, hexLength: number): RecordedFile {
  if (t.args.length !== arity) throw new Error(`${t.functor}/${t.args.length}`);
  const [name, size, hex] = t.args as [Token, Token, Token];
  if (name.kind !== "str" && name.kind !== "atom") throw new Error("bad name");
  if (size.kind !== "int") throw new Error("bad size");
  if ((hex.kind !== "str" && hex.kind !== "atom") || hex.text.length !== hexLength || !/^[0-9a-f]+$/.test(hex.text)) throw new Error("bad digest");
  return { name: name.text, size: Number(size.text), hex: hex.text };
}

/** The record of a name without quotes, backslashes or control characters, exactly as biomake
 * (and tmake) write it: read without tokenizing. Control characters are what makes a name
 * non-canonical, hence their range. */
const CANONICAL =
  // eslint-disable-next-line no-control-regex
  /^md5_hash\("([^"\\\x00-\x1f]*)",(\d+),"([0-9a-f]{32})"\)\.\nmd5_valid\("\1",\2,"\3",X\)(?:\.\n| :-\n((?: {2}md5_check\("[^"\\\x00-\x1f]*",\d+,"[0-9a-f]{32}",X\),\n)* {2}md5_check\("[^"\\\x00-\x1f]*",\d+,"[0-9a-f]{32}",X\)\.\n))$/;
const CHECK = /md5_check\("([^"]*)",(\d+),"([0-9a-f]{32})",X\)/g;

/** Reads a biomake record. Throws (with a short reason) when the text is not one: the clauses
 * md5_hash/3 and md5_valid/4 (with md5_check/4 goals), for one target. */
export function parseBiomakeRecord(text: string): HashRecord {
  const m = CANONICAL.exec(text);
  if (m !== null) {
    const target = { name: m[1]!, size: Number(m[2]), hex: m[3]! };
    const prereqs: RecordedFile[] = [];
    if (m[4] !== undefined) for (const c of m[4].matchAll(CHECK)) prereqs.push({ name: c[1]!, size: Number(c[2]), hex: c[3]! });
    return { target, prereqs };
  }
  return parseBiomakeTerms(text);
}

/** parseBiomakeRecord for any layout Prolog reads (spacing, comments, quoted names). */
function parseBiomakeTerms(text: string): HashRecord {
  const toks = tokenize(text);
  const at = { i: 0 };
  let hash: RecordedFile | undefined;
  let valid: HashRecord | undefined;
  while (at.i < toks.length) {
    const head = readTerm(toks, at);
    if (head.functor === "md5_hash") {
      hash = recorded(head, 3, HEX_LENGTH.md5);
      if (toks[at.i++]?.text !== ".") throw new Error("expected '.'");
    } else if (head.functor === "md5_valid") {
      const target = recorded(head, 4, HEX_LENGTH.md5);
      const prereqs: RecordedFile[] = [];
      let sep = toks[at.i++];
      if (sep?.text === ":-") {
        for (;;) {
          const goal = readTerm(toks, at);
          if (goal.functor !== "md5_check") throw new Error(`unexpected goal ${goal.functor}`);
          prereqs.push(recorded(goal, 4, HEX_LENGTH.md5));
          sep = toks[at.i++];
          if (sep?.text !== ",") break;
        }
      }
      if (sep?.text !== ".") throw new Error("expected '.'");
      valid = { target, prereqs };
    } else throw new Error(`unexpected clause ${head.functor}`);
  }
  if (hash === undefined || valid === undefined) throw new Error(hash === undefined ? "no md5_hash" : "no md5_valid");
  if (hash.name !== valid.target.name) throw new Error("md5_hash and md5_valid name different files");
  // md5_hash is what the target holds now (biomake's cache of its digest); md5_valid what it
  // held when it was built. biomake writes both alike.
  const same = hash.size === valid.target.size && hash.hex === valid.target.hex;
  return same ? valid : { ...valid, cached: hash };
}

// ---------- tmake's own records ----------

const TMAKE_HEADER = "tmake-record 1";

/** The text of one of tmake's records. Names are JSON strings, so any name fits on its line. */
export function formatTmakeRecord(r: HashRecord, algorithm: HashAlgorithm): string {
  let text = `${TMAKE_HEADER} ${algorithm}\n`;
  text += `target ${r.target.size} ${r.target.hex} ${JSON.stringify(r.target.name)}\n`;
  for (const p of r.prereqs) text += `prereq ${p.size} ${p.hex} ${JSON.stringify(p.name)}\n`;
  return text;
}

/** Reads one of tmake's records of `algorithm`. Throws when it is not one (or of another
 * algorithm). */
export function parseTmakeRecord(text: string, algorithm: HashAlgorithm): HashRecord {
  const lines = text.split("\n");
  if (lines[lines.length - 1] !== "") throw new Error("truncated");
  lines.pop();
  const header = lines[0] ?? "";
  if (!header.startsWith(`${TMAKE_HEADER} `)) throw new Error("not a tmake record");
  const algo = header.slice(TMAKE_HEADER.length + 1);
  if (algo !== algorithm) throw new Error(`a ${algo} record`);
  const entry = (line: string, kind: string): RecordedFile => {
    const m = /^(\w+) (\d+) ([0-9a-f]+) (".*")$/.exec(line);
    if (m === null || m[1] !== kind || m[3]!.length !== HEX_LENGTH[algorithm]) throw new Error(`bad ${kind} line`);
    const name: unknown = JSON.parse(m[4]!);
    if (typeof name !== "string") throw new Error(`bad ${kind} line`);
    return { name, size: Number(m[2]), hex: m[3]! };
  };
  if (lines.length < 2) throw new Error("no target line");
  return { target: entry(lines[1]!, "target"), prereqs: lines.slice(2).map((l) => entry(l, "prereq")) };
}
