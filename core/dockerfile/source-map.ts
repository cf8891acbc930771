/** A 1-based line and column in a Dockerfile. */
export interface Loc {
  readonly line: number;
  readonly column: number;
}

/** Converts between string offsets and 1-based line/column positions of one text. */
export class SourceMap {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    }
  }

  /** Offset of a 0-based line and character, as dockerfile-ast reports them. */
  offsetOf(line0: number, character: number): number {
    const start = this.lineStarts[Math.min(line0, this.lineStarts.length - 1)] ?? 0;
    return Math.min(start + character, this.text.length);
  }

  locOf(offset: number): Loc {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.lineStarts[lo] ?? 0) + 1 };
  }
}
