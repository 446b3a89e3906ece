/** Where a command writes: the process's streams, or strings in tests. */
export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export const processIo: Io = {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
};

/** An Io that collects everything (for tests and in-process callers). */
export class BufferIo implements Io {
  stdout = '';
  stderr = '';
  out(s: string): void { this.stdout += s; }
  err(s: string): void { this.stderr += s; }
}
