import { StringDecoder } from 'node:string_decoder';

/**
 * Splits a byte stream into lines without holding more than one line: a line
 * longer than `maxLength` characters is emitted in pieces, as Docker's log
 * drivers split lines at 16 KiB, so a process that never writes a newline
 * cannot grow the emulator's memory.
 */
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  constructor(
    private readonly maxLength: number,
    private readonly emit: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.take(this.decoder.write(chunk));
  }

  /** Emits what is left after the stream ended, even without a final newline. */
  end(): void {
    this.take(this.decoder.end());
    if (this.pending !== '') this.emit(this.pending);
    this.pending = '';
  }

  private take(text: string): void {
    let rest = this.pending + text;
    for (;;) {
      const newline = rest.indexOf('\n');
      if (newline < 0) break;
      this.emitBounded(rest.slice(0, newline).replace(/\r$/, ''));
      rest = rest.slice(newline + 1);
    }
    while (rest.length >= this.maxLength) {
      this.emit(rest.slice(0, this.maxLength));
      rest = rest.slice(this.maxLength);
    }
    this.pending = rest;
  }

  private emitBounded(line: string): void {
    for (let start = 0; start < line.length; start += this.maxLength) this.emit(line.slice(start, start + this.maxLength));
    if (line.length === 0) this.emit('');
  }
}
