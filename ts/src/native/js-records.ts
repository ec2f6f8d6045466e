// The JS fallback of Backend.readRecords (crates/fsmeta's records.rs): hash records read ahead,
// one target after the other on the calling thread. The canonical layouts it parses, and every
// answer it gives, are the Rust module's, so both backends leave the same records to the caller.
import fs from "node:fs";
import path from "node:path";
import { statIdentities } from "./js-stat.js";
import { RecordVerdict, type HashAlgorithm, type RecordsRead, type RecordTarget } from "./types.js";

interface Recorded {
  name: string;
  size: number;
  hex: string;
}

/** A name in a canonical record: no `"`, `\` or control character. */
const NAME = '([^"\\\\\\x00-\\x1f]*)';
/** A size JS reads exactly: at most 15 digits. */
const SIZE = "(\\d{1,15})";

const BIOMAKE_HEAD = new RegExp(`^md5_hash\\("${NAME}",${SIZE},"([0-9a-f]{32})"\\)\\.\\nmd5_valid\\("`);
const BIOMAKE_CHECK = new RegExp(`^ {2}md5_check\\("${NAME}",${SIZE},"([0-9a-f]{32})",X\\)`);

/** biomake's canonical record (records.rs's parse_biomake), or undefined. */
export function parseBiomakeCanonical(text: string): { target: Recorded; prereqs: Recorded[] } | undefined {
  const head = BIOMAKE_HEAD.exec(text);
  if (head === null) return undefined;
  const [, name, digits, hex] = head as unknown as [string, string, string, string];
  let rest = text.slice(head[0].length);
  const again = `${name}",${digits},"${hex}",X)`;
  if (!rest.startsWith(again)) return undefined;
  rest = rest.slice(again.length);
  const prereqs: Recorded[] = [];
  if (rest.startsWith(" :-\n")) {
    rest = rest.slice(4);
    for (;;) {
      const m = BIOMAKE_CHECK.exec(rest);
      if (m === null) return undefined;
      prereqs.push({ name: m[1]!, size: Number(m[2]), hex: m[3]! });
      rest = rest.slice(m[0].length);
      if (!rest.startsWith(",\n")) break;
      rest = rest.slice(2);
    }
  }
  if (rest !== ".\n") return undefined;
  return { target: { name, size: Number(digits), hex }, prereqs };
}

/** tmake's canonical record of `algorithm` (records.rs's parse_tmake), or undefined. */
export function parseTmakeCanonical(text: string, algorithm: HashAlgorithm, hexLength: number): { target: Recorded; prereqs: Recorded[] } | undefined {
  const header = `tmake-record 1 ${algorithm}\n`;
  if (!text.startsWith(header) || !text.endsWith("\n")) return undefined;
  const line = new RegExp(`^(target|prereq) ${SIZE} ([0-9a-f]{${hexLength}}) "${NAME}"$`);
  const lines = text.slice(header.length, -1).split("\n");
  const entries: Recorded[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = line.exec(lines[i]!);
    if (m === null || m[1] !== (i === 0 ? "target" : "prereq")) return undefined;
    entries.push({ name: m[4]!, size: Number(m[2]), hex: m[3]! });
  }
  return { target: entries[0]!, prereqs: entries.slice(1) };
}

/** A file's identity (Backend.statIdentities's `id`). */
function identityOf(st: fs.BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}`;
}

/** Whether a stat found a regular file. */
function regular(st: fs.BigIntStats | undefined): st is fs.BigIntStats {
  return st !== undefined && st.isFile();
}

/** Backend.readRecords, on the calling thread. */
export function readRecords(targets: readonly RecordTarget[], algorithm: HashAlgorithm, noTimestamp: boolean, maxBytes: number, base: string): RecordsRead {
  const hexLength = algorithm === "md5" ? 32 : 64;
  const n = targets.length;
  const verdicts = new Uint8Array(n);
  const targetSizes = new Float64Array(n);
  const targetHex: string[] = [];
  const prereqStart = new Uint32Array(n + 1);
  const recordIds: string[] = [];
  const targetIds: string[] = [];
  const sizes: number[] = [];
  const hexes: string[] = [];
  const prereqFiles: number[] = [];
  const fileIndex = new Map<string, number>();
  const fileNames: string[] = [];
  for (let i = 0; i < n; i++) {
    const t = targets[i]!;
    const { verdict, record, recordId, targetId } = readOne(t, algorithm, hexLength, noTimestamp, maxBytes);
    verdicts[i] = verdict;
    recordIds.push(recordId ?? "");
    targetIds.push(targetId ?? "");
    targetSizes[i] = record?.target.size ?? -1;
    targetHex.push(record?.target.hex ?? "-".repeat(hexLength));
    for (const p of record?.prereqs ?? []) {
      let f = fileIndex.get(p.name);
      if (f === undefined) {
        fileIndex.set(p.name, (f = fileNames.length));
        fileNames.push(p.name);
      }
      sizes.push(p.size);
      hexes.push(p.hex);
      prereqFiles.push(f);
    }
    prereqStart[i + 1] = prereqFiles.length;
  }
  const ids = statIdentities(fileNames.map((name) => path.resolve(base, name)));
  return {
    verdicts,
    recordIds,
    targetIds,
    targetSizes,
    targetHex: targetHex.join(""),
    prereqStart,
    prereqSizes: Float64Array.from(sizes),
    prereqHex: hexes.join(""),
    prereqFiles: Uint32Array.from(prereqFiles),
    fileNames,
    fileIds: ids.map((id) => id?.id ?? ""),
    fileSizes: Float64Array.from(ids.map((id) => id?.size ?? -1)),
  };
}

function readOne(
  t: RecordTarget,
  algorithm: HashAlgorithm,
  hexLength: number,
  noTimestamp: boolean,
  maxBytes: number,
): { verdict: RecordVerdict; record?: { target: Recorded; prereqs: Recorded[] }; recordId?: string; targetId?: string } {
  let fd: number;
  try {
    fd = fs.openSync(t.record, "r");
  } catch {
    return { verdict: RecordVerdict.None };
  }
  let text: string;
  let recordNs: bigint;
  let recordId: string;
  try {
    const st = fs.fstatSync(fd, { bigint: true });
    if (!st.isFile()) return { verdict: RecordVerdict.None };
    if (st.size > BigInt(maxBytes)) return { verdict: RecordVerdict.Other };
    const bytes = fs.readFileSync(fd);
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    recordNs = st.mtimeNs;
    recordId = identityOf(st);
  } catch {
    return { verdict: RecordVerdict.Other };
  } finally {
    fs.closeSync(fd);
  }
  const record = algorithm === "md5" ? parseBiomakeCanonical(text) : parseTmakeCanonical(text, algorithm, hexLength);
  if (record === undefined || record.target.name !== t.name) return { verdict: RecordVerdict.Other };
  let now: fs.BigIntStats | undefined;
  try {
    now = fs.statSync(t.path, { bigint: true, throwIfNoEntry: false });
  } catch {
    now = undefined;
  }
  const trusted = regular(now) && Number(now.size) === record.target.size && (noTimestamp || now.mtimeNs <= recordNs);
  return { verdict: trusted ? RecordVerdict.Trusted : RecordVerdict.Untrusted, record, recordId, targetId: regular(now) ? identityOf(now) : undefined };
}
