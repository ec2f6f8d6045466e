// Splitting makefile text into logical lines (GNU's readline): a physical line ending in an
// odd number of backslashes continues on the next one. The logical line keeps the
// backslash-newlines; what happens to them depends on the kind of line (text.ts).
// One pass over the text, so reading is linear in its size.

export interface LogicalLine {
  /** The joined text, without the final newline; CR before LF is dropped as GNU does. */
  text: string;
  /** First physical line number (1-based). */
  line: number;
}

export function splitLogicalLines(text: string): { lines: LogicalLine[]; physicalLines: number } {
  const lines: LogicalLine[] = [];
  const n = text.length;
  let pos = 0;
  let lineNo = 1;
  let pending: string | undefined;
  let pendingLine = 1;
  while (pos < n) {
    let nl = text.indexOf("\n", pos);
    const last = nl < 0;
    if (last) nl = n;
    let end = nl;
    if (!last && end > pos && text.charCodeAt(end - 1) === 13) end--;
    const physical = text.slice(pos, end);
    let bs = 0;
    for (let i = physical.length - 1; i >= 0 && physical.charCodeAt(i) === 92; i--) bs++;
    if (pending === undefined) {
      pending = physical;
      pendingLine = lineNo;
    } else pending += "\n" + physical;
    if (bs % 2 === 1 && !last) {
      // Continued: keep going.
    } else {
      lines.push({ text: pending, line: pendingLine });
      pending = undefined;
    }
    lineNo++;
    pos = nl + 1;
  }
  if (pending !== undefined) lines.push({ text: pending, line: pendingLine });
  // GNU reports end-of-file problems ("missing 'endif'") one past the last line.
  return { lines, physicalLines: lineNo - 1 };
}
