// The wildcard bindings of one biomake match (`align-$X-$Y` against `align-mouse-human`:
// X = mouse, Y = human). A build can hold one per target, so they are two arrays (the names are
// shared by every match of the same pattern) rather than a Map each.

export class Bindings {
  constructor(
    /** Wildcard names in the pattern's order ("%" for GNU's stem). */
    readonly names: readonly string[],
    /** The bound text of each name. */
    readonly values: readonly string[],
  ) {}

  get(name: string): string | undefined {
    const i = this.names.indexOf(name);
    return i < 0 ? undefined : this.values[i];
  }

  /** These bindings and, after them, the names of `extra` they do not hold (the variables a
   * Prolog goal bound); itself when there are none. */
  with(extra: ReadonlyMap<string, string>): Bindings {
    const names = [...this.names];
    const values = [...this.values];
    for (const [k, v] of extra) {
      if (names.includes(k)) continue;
      names.push(k);
      values.push(v);
    }
    return names.length === this.names.length ? this : new Bindings(names, values);
  }

  /** The bindings as a Map (for GoalContext). */
  toMap(): Map<string, string> {
    const m = new Map<string, string>();
    for (let i = 0; i < this.names.length; i++) m.set(this.names[i]!, this.values[i]!);
    return m;
  }
}
