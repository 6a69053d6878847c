// CPU time of a process from /proc, for the benchmarks' CPU-per-operation figures.
import { readFile } from 'node:fs/promises';

/** utime + stime of `pid` in seconds (0 when it is gone). */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100; // USER_HZ
}
