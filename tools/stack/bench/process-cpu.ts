/**
 * CPU time of processes from `/proc/<pid>/stat` (Linux): a process's own user + system time, and
 * the time of its children that ended and were waited for (how the bench measures the load
 * generator, a child that has exited by the time it is read).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc/<pid>/stat` (USER_HZ; 100 on every Linux that Node supports). */
const ticksPerSecond = 100;

/** The fields of `/proc/<pid>/stat` after the command name, which may contain spaces and `)`. */
function statFields(pid: number | 'self'): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** User + system CPU seconds of `pid`; 0 when it is gone (or not on Linux). */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = statFields(pid);
    // After the name: state is field 3 (index 0), utime 14 (index 11), stime 15 (index 12).
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** User + system CPU seconds of this process's children that ended and were waited for. */
export function reapedChildrenCpuSeconds(): number {
  try {
    const fields = statFields('self');
    // cutime is field 16 (index 13), cstime field 17 (index 14).
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return 0;
  }
}
