// Splitting makefile text into logical lines (GNU's readline): a physical line ending in an
// odd number of backslashes continues on the next one. The logical line keeps the
// backslash-newlines; what happens to them depends on the kind of line (text.ts).
//
// One pass over the text records only offsets (typed arrays), so a 10 MB makefile costs no
// per-line objects until a line is actually read; the text of line i is a slice on demand.

export interface LogicalLine {
  /** The joined text, without the final newline; CR before LF is dropped as GNU does. */
  text: string;
  /** First physical line number (1-based). */
  line: number;
}

export class LogicalLines {
  /** Number of logical lines. */
  readonly count: number;
  /** Physical line count; GNU reports end-of-file errors ("missing 'endif'") one past it. */
  readonly physicalLines: number;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly lineNos: Int32Array;
  private readonly hasCR: boolean;

  constructor(readonly source: string) {
    let cap = 1024;
    let starts = new Int32Array(cap);
    let ends = new Int32Array(cap);
    let lineNos = new Int32Array(cap);
    let count = 0;
    const n = source.length;
    let pos = 0;
    let lineNo = 1;
    let start = -1;
    let startLine = 1;
    while (pos < n || start >= 0) {
      let nl = pos < n ? source.indexOf("\n", pos) : -1;
      const last = nl < 0;
      if (last) nl = n;
      let end = nl;
      if (!last && end > pos && source.charCodeAt(end - 1) === 13) end--;
      let bs = 0;
      for (let i = end - 1; i >= pos && source.charCodeAt(i) === 92; i--) bs++;
      if (start < 0) {
        start = pos;
        startLine = lineNo;
      }
      // A continuation on the file's last line continues into nothing (GNU keeps the
      // backslash-newline, so the line reads as if a blank line followed).
      if (pos >= n) end = n;
      if (!(bs % 2 === 1 && !last) || pos >= n) {
        if (count === cap) {
          cap *= 2;
          const s2 = new Int32Array(cap);
          s2.set(starts);
          starts = s2;
          const e2 = new Int32Array(cap);
          e2.set(ends);
          ends = e2;
          const l2 = new Int32Array(cap);
          l2.set(lineNos);
          lineNos = l2;
        }
        starts[count] = start;
        ends[count] = end;
        lineNos[count] = startLine;
        count++;
        start = -1;
      }
      if (pos >= n) break;
      lineNo++;
      pos = nl + 1;
    }
    this.count = count;
    this.physicalLines = lineNo - 1;
    this.starts = starts;
    this.ends = ends;
    this.lineNos = lineNos;
    this.hasCR = source.indexOf("\r") >= 0;
  }

  /** Text of logical line i. */
  text(i: number): string {
    const t = this.source.slice(this.starts[i]!, this.ends[i]!);
    return this.hasCR ? t.replace(/\r\n/g, "\n") : t;
  }

  /** First physical line number of logical line i. */
  line(i: number): number {
    return this.lineNos[i]!;
  }

  /** Offset in `source` where logical line i starts. */
  start(i: number): number {
    return this.starts[i]!;
  }

  /** Offset in `source` where logical line i ends (before its newline, and before a CR). */
  end(i: number): number {
    return this.ends[i]!;
  }

  /** Logical line i is one physical line: its text is exactly source[start(i), end(i))
   * and holds no newline (the reader's fast paths need this). */
  isSingle(i: number): boolean {
    if (i + 1 < this.count) return this.lineNos[i + 1]! - this.lineNos[i]! === 1;
    // The last line may end in a continuation that runs into the end of the file.
    return this.physicalLines + 1 - this.lineNos[i]! === 1 && this.source.charCodeAt(this.ends[i]! - 1) !== 10;
  }

  at(i: number): LogicalLine {
    return { text: this.text(i), line: this.line(i) };
  }
}

/** All logical lines as objects (for tests and tools; the parser uses LogicalLines). */
export function splitLogicalLines(text: string): { lines: LogicalLine[]; physicalLines: number } {
  const l = new LogicalLines(text);
  const lines: LogicalLine[] = [];
  for (let i = 0; i < l.count; i++) lines.push(l.at(i));
  return { lines, physicalLines: l.physicalLines };
}
