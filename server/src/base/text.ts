// Positions and ranges in editor terms (0-based line, UTF-16 column), and the offset <-> position mapping.

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }
/** A half-open span of UTF-16 code-unit offsets into one file's text. */
export interface Span { start: number; end: number }

/** `inner` lies within `outer` (edges included). */
export const contains = (outer: Span, inner: Span): boolean => outer.start <= inner.start && inner.end <= outer.end;

export class LineIndex {
  private readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    // LSP (and Nix) end lines at \n, \r\n and a lone \r.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  get lineCount(): number { return this.lineStarts.length; }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) lo = mid; else hi = mid - 1;
    }
    return { line: lo, character: clamped - (this.lineStarts[lo] ?? 0) };
  }

  offset(pos: Position): number {
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[Math.max(0, pos.line)] ?? 0;
    const next = this.lineStarts[pos.line + 1];
    const lineEnd = next === undefined ? this.text.length : next - (this.text[next - 2] === '\r' && this.text[next - 1] === '\n' ? 2 : 1);
    return Math.min(start + Math.max(0, pos.character), lineEnd);
  }

  range(span: Span): Range { return { start: this.position(span.start), end: this.position(span.end) }; }
}
