/**
 * Turns a stream of chunks into whole lines: `push` returns the lines a chunk completed and keeps
 * the unfinished rest for the next chunk; `flush` returns that rest when the stream ends.
 */
export class LineSplitter {
  #rest = '';

  /** The lines completed by `chunk` (without their line breaks). */
  push(chunk: string): string[] {
    const parts = (this.#rest + chunk).split('\n');
    this.#rest = parts.pop() ?? '';
    return parts.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  }

  /** The unfinished last line, if any. */
  flush(): string[] {
    const rest = this.#rest;
    this.#rest = '';
    return rest === '' ? [] : [rest];
  }
}
