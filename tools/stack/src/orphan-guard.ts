import { spawn, type ChildProcess } from 'node:child_process';

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Makes sure `child` dies with this process, however this process ends:
 * - an orderly exit (`process.exit`, end of the event loop, an uncaught error) SIGKILLs it from
 *   an `exit` hook;
 * - a SIGKILL of this process cannot run any hook, so a watchdog `sh` blocks reading a pipe from
 *   this process and SIGKILLs the child when the kernel closes that pipe (this process died).
 * The watchdog exits by itself once the child is gone. Returns a function to call when the child
 * exited normally.
 */
export function guardChild(child: ChildProcess): () => void {
  installExitHook();
  live.add(child);
  const pid = child.pid;
  let watchdog: ChildProcess | undefined;
  if (pid !== undefined) {
    watchdog = spawn('sh', ['-c', `read _ignored; kill -9 ${pid} 2>/dev/null; exit 0`], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.unref();
    watchdog.on('error', () => undefined);
    // The pipe must not keep this process alive either.
    (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }
  return () => {
    live.delete(child);
    // Closing the pipe ends the watchdog; the pid it would kill is already gone.
    if (watchdog && watchdog.exitCode === null) watchdog.kill('SIGKILL');
  };
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}
