// Biomake's arithmetic functions (biomake README, "Arithmetic functions"):
//   $(iota N)        1 2 ... N
//   $(iota S,E)      S S+1 ... E
//   $(add X,L)       X added to each element of the list L
//   $(multiply Y,L)  each element of L multiplied by Y
//   $(divide Z,L)    each element of L divided by Z
// Biomake evaluates these with Prolog arithmetic, and we keep its number semantics: integers
// are exact and unbounded, a float anywhere makes the result a float, and `/` on integers
// gives an integer when the division is exact and a float otherwise ($(divide 2,1 3 8) is
// "0.5 1.5 4"). Numbers print as SWI-Prolog writes them: floats always carry a `.` or an
// exponent ("4.0", "1.0e20"). Bad numbers are fatal errors worded like GNU's.
import type { FunctionContext, MakeFunction } from "./types.js";
import { splitWords, stripSpace } from "../../base/words.js";

type Num = { kind: "int"; v: bigint } | { kind: "float"; v: number };

/** A number as Prolog's number_string reads it: an optionally signed integer or float
 * (`12`, `-3`, `1.5`, `2.0e3`, `1e10`), surrounding blanks ignored. */
export function parseNumber(text: string): Num | undefined {
  const s = stripSpace(text);
  if (/^[+-]?[0-9]+$/.test(s)) return { kind: "int", v: BigInt(s) };
  if (/^[+-]?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(s)) return { kind: "float", v: Number(s) };
  return undefined;
}

/** SWI-Prolog's shortest float text: the round-trip digits, positional between 1e-4 and
 * 1e15, exponent form outside, always with a fractional part or an exponent. */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mantissa, exp] = Math.abs(x).toExponential().split("e");
  const digits = mantissa!.replace(".", "");
  const decpt = Number(exp) + 1;
  const expForm = (): string => `${digits[0]}.${digits.slice(1) || "0"}e${decpt - 1}`;
  let body: string;
  if (decpt <= 0) body = decpt <= -4 ? expForm() : `0.${"0".repeat(-decpt)}${digits}`;
  else if (digits.length > decpt) body = `${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
  else body = decpt > 15 ? expForm() : `${digits}${"0".repeat(decpt - digits.length)}.0`;
  return sign + body;
}

export function formatNumber(n: Num): string {
  return n.kind === "int" ? n.v.toString() : formatFloat(n.v);
}

function toFloat(n: Num): number {
  return n.kind === "int" ? Number(n.v) : n.v;
}

function add(a: Num, b: Num): Num {
  return a.kind === "int" && b.kind === "int" ? { kind: "int", v: a.v + b.v } : { kind: "float", v: toFloat(a) + toFloat(b) };
}

function multiply(a: Num, b: Num): Num {
  return a.kind === "int" && b.kind === "int" ? { kind: "int", v: a.v * b.v } : { kind: "float", v: toFloat(a) * toFloat(b) };
}

/** Prolog's `/` (non-ISO mode): exact integer quotients stay integers. */
function divide(a: Num, b: Num, fname: string, ctx: FunctionContext): Num {
  if (toFloat(b) === 0) ctx.fatal(`division by zero in '${fname}' function`);
  if (a.kind === "int" && b.kind === "int" && a.v % b.v === 0n) return { kind: "int", v: a.v / b.v };
  return { kind: "float", v: toFloat(a) / toFloat(b) };
}

function number(text: string, what: string, fname: string, ctx: FunctionContext): Num {
  const n = parseNumber(text);
  if (n === undefined) ctx.fatal(`non-numeric ${what} to '${fname}' function: '${text}'`);
  return n;
}

/** $(iota N) / $(iota S,E): counting up by one from S (default 1) while <= E. */
const iota: MakeFunction = {
  minArgs: 1,
  maxArgs: 2,
  expandArgs: true,
  fn: (args, ctx) => {
    const two = args.length > 1;
    let cur = two ? number(args[0]!, "first argument", "iota", ctx) : ({ kind: "int", v: 1n } as Num);
    const end = number(args[two ? 1 : 0]!, two ? "second argument" : "argument", "iota", ctx);
    const out: string[] = [];
    const one: Num = { kind: "int", v: 1n };
    while (cur.kind === "int" && end.kind === "int" ? cur.v <= end.v : toFloat(cur) <= toFloat(end)) {
      out.push(formatNumber(cur));
      cur = add(cur, one);
    }
    return out.join(" ");
  },
};

/** add / multiply / divide: OP(X, element) for every element of the list. */
function listArithmetic(fname: string, op: (x: Num, element: Num, ctx: FunctionContext) => Num): MakeFunction {
  return {
    minArgs: 2,
    maxArgs: 2,
    expandArgs: true,
    fn: ([x, list], ctx) => {
      const operand = number(x!, "first argument", fname, ctx);
      return splitWords(list!)
        .map((w) => formatNumber(op(operand, number(w, "list element", fname, ctx), ctx)))
        .join(" ");
    },
  };
}

export const biomakeFunctions: ReadonlyMap<string, MakeFunction> = new Map([
  ["iota", iota],
  ["add", listArithmetic("add", (x, e) => add(x, e))],
  ["multiply", listArithmetic("multiply", (y, e) => multiply(y, e))],
  ["divide", listArithmetic("divide", (z, e, ctx) => divide(e, z, "divide", ctx))],
]);
