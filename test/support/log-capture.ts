import { Writable } from 'node:stream';

/** A pino destination that keeps every line, so tests can read logs and search them for secrets. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') this.lines.push(line);
    done();
  }

  get entries(): Record<string, unknown>[] {
    return this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  messages(): string[] {
    return this.entries.map((entry) => String(entry.msg ?? ''));
  }

  text(): string {
    return this.lines.join('\n');
  }
}
