import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** A server script of the benchmarks or fakes running in a process of its own. */
export interface BenchChild<T> {
  /** What the child printed as its first line (JSON): where it listens. */
  readonly ready: T;
  readonly pid: number;
  /** Its CPU time so far (Linux; NaN elsewhere). */
  cpuMs(): Promise<number>;
  /** Closes its stdin (its signal to stop), waits for it to exit, and returns the lines it printed after the first. */
  close(): Promise<string[]>;
}

/**
 * Starts `script` (TypeScript, through tsx) in its own process, as a server runs in production,
 * so a benchmark does not share one JavaScript thread between what it measures and what drives it.
 * Waits for the child's first stdout line, a JSON object; fails if the child exits first.
 */
export async function spawnBenchChild<T>(script: URL, env: Record<string, string>, options: { execArgv?: readonly string[] } = {}): Promise<BenchChild<T>> {
  const child = spawn(process.execPath, [...(options.execArgv ?? []), '--import', 'tsx', fileURLToPath(script)], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const later: string[] = [];
  const first = await new Promise<string>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${fileURLToPath(script)} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    lines.once('line', (line) => {
      child.off('exit', onExit);
      lines.on('line', (next) => later.push(next));
      resolve(line);
    });
  });
  const exited = once(child, 'exit');
  return {
    ready: JSON.parse(first) as T,
    pid: child.pid!,
    cpuMs: () => cpuMsFromProc(`/proc/${child.pid}/stat`),
    close: async () => {
      child.stdin!.end();
      await exited;
      return later;
    },
  };
}

/** utime + stime of a process or thread from /proc (Linux, in clock ticks of 10 ms); NaN where there is no /proc. */
export async function cpuMsFromProc(statFile: string): Promise<number> {
  const stat = await readFile(statFile, 'utf8').catch(() => null);
  const fields = stat?.split(') ')[1]?.split(' ');
  return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : Number.NaN;
}
