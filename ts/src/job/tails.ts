// What is kept of a job's output for the journal: the last bytes of each of its streams (what
// the terminal showed of the job: its commands' output, and tmake's echo lines and messages
// for it). capture.ts says how the commands' bytes get here.

/** What the journal gets of a recipe's output: the last bytes of each stream. */
export interface RecipeOutput {
  /** Standard output (both streams, in order, when `merged`). */
  out: Buffer;
  err: Buffer;
  /** Standard output and error were one file (tmake's were the same), and `out` holds both. */
  merged: boolean;
  /** Bytes left out before each tail. */
  dropped: [number, number];
}

/** The last `limit` bytes written to a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  dropped = 0;

  constructor(private readonly limit: number) {}

  add(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.chunks.push(bytes);
    this.size += bytes.length;
    while (this.size - this.chunks[0]!.length >= this.limit) {
      const first = this.chunks.shift()!;
      this.size -= first.length;
      this.dropped += first.length;
    }
  }

  bytes(): Buffer {
    const all = Buffer.concat(this.chunks);
    if (all.length <= this.limit) return all;
    this.dropped += all.length - this.limit;
    return all.subarray(all.length - this.limit);
  }
}

/** The tails of one job's two streams; its echo lines and messages are added too, so what is
 * kept is what the terminal showed of the job. */
export class OutputTails {
  private readonly tails: [Tail, Tail];

  constructor(
    limit: number,
    readonly merged: boolean,
  ) {
    this.tails = [new Tail(limit), new Tail(limit)];
  }

  add(toErr: boolean, bytes: Buffer): void {
    this.tails[toErr && !this.merged ? 1 : 0].add(bytes);
  }

  result(): RecipeOutput {
    const [o, e] = this.tails;
    const out = o.bytes();
    const err = e.bytes();
    return { out, err, merged: this.merged, dropped: [o.dropped, e.dropped] };
  }
}
