/**
 * True when a process with this id runs on this machine, also one of another user (signal 0 is refused with
 * EPERM, but the process is there). An id that is not a positive whole number names no one process (0 and
 * negative ids address process groups), so it is never running.
 */
export function isProcessRunning(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
