// Numeric arguments of $(word), $(wordlist) and $(intcmp), parsed and diagnosed as GNU does.
import type { FunctionContext } from "./types.js";
import { skipSpace } from "./words.js";
import { isSpace, stripSpace } from "../../base/words.js";

/** GNU 4.3's check_numeric + atoi, used by $(word) and $(wordlist): after stripping
 * whitespace the argument must be a non-empty run of digits; otherwise the error quotes the
 * argument exactly as given, blanks included.
 * The value is atoi's: strtol clamped to the C `long` range, then truncated to `int`. */
export function parseCount(arg: string, message: string, ctx: FunctionContext): number {
  const digits = stripSpace(arg);
  if (!/^[0-9]+$/.test(digits)) ctx.fatal(`${message}: '${arg}'`);
  const LONG_MAX = (1n << 63n) - 1n;
  let n = BigInt(digits);
  if (n > LONG_MAX) n = LONG_MAX;
  return Number(BigInt.asIntN(32, n));
}

/** An integer as $(intcmp) reads it: sign and magnitude digits (no leading zeros). */
export interface TextInt {
  sign: -1 | 0 | 1;
  /** The digits without leading zeros ("" for zero). */
  digits: string;
}

/** GNU 4.4's parse_textint: optional blanks, optional sign, digits, optional blanks. Any
 * size is accepted, since the comparison works on the digit strings. */
export function parseTextInt(arg: string, message: string, ctx: FunctionContext): TextInt {
  const s = skipSpace(arg);
  if (s === "") ctx.fatal(`${message}: empty value`);
  let i = 0;
  const negative = s[0] === "-";
  if (negative || s[0] === "+") i++;
  const afterSign = i;
  while (s[i] === "0") i++;
  const numStart = i;
  while (i < s.length && s[i]! >= "0" && s[i]! <= "9") i++;
  const afterNumber = i;
  while (i < s.length && isSpace(s[i])) i++;
  if (afterNumber === afterSign || i < s.length) ctx.fatal(`${message}: '${arg}'`);
  const digits = s.slice(numStart, afterNumber);
  const nonzero = digits.length > 0 ? 1 : 0;
  return { sign: (negative ? -nonzero : nonzero) as -1 | 0 | 1, digits };
}

/** Three-way comparison of two parsed integers. */
export function compareTextInt(a: TextInt, b: TextInt): number {
  if (a.sign !== b.sign) return a.sign < b.sign ? -1 : 1;
  let c = a.digits.length - b.digits.length;
  if (c === 0) c = a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
  c = Math.sign(c);
  return a.sign < 0 ? -c : c;
}
