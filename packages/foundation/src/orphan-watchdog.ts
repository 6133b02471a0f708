import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Kills a process's tools when the process dies, whatever the signal: even SIGKILL, which no handler sees.
 *
 * ffmpeg ignores SIGPIPE and never checks its writes to stderr or a progress pipe, so a closed pipe does not
 * stop it, and an orphaned ffmpeg encodes on to the end. One small watchdog process per wavid process holds
 * the read end of a pipe whose write end only wavid holds; it is told each tool's pid as the tool starts and
 * ends. When wavid dies the kernel closes the pipe, the watchdog reads end-of-file and kills the tools left.
 */
export interface OrphanWatchdog {
  /** The watchdog kills this pid if the process dies before `untrack`. */
  track(pid: number): void;
  /** Called once, when the tool has exited (at `exit`, not `close`): after that its pid may belong to another process. */
  untrack(pid: number): void;
}

/**
 * The watchdog's program, run by `node -e`: it imports nothing, so its own source is the whole program.
 * It outlives interrupts meant for the group (a Ctrl-C reaches ffmpeg too), and ends only at end-of-file.
 */
function watchdogProgram(): void {
  const pids = new Set<number>();
  let pending = '';
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  process.on('SIGTERM', ignore);
  process.on('SIGHUP', ignore);
  const killAll = () => {
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    process.exit(0);
  };
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const pid = Number(line.slice(1));
      if (!Number.isSafeInteger(pid) || pid <= 0) continue;
      if (line.startsWith('+')) pids.add(pid);
      else if (line.startsWith('-')) pids.delete(pid);
    }
  });
  process.stdin.on('end', killAll);
  process.stdin.on('error', killAll);
}

const WATCHDOG_SOURCE = `(${watchdogProgram.toString()})();`;

let watchdog: ChildProcess | null = null;

function startWatchdog(): ChildProcess | null {
  if (watchdog?.stdin?.writable) return watchdog;
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], { stdio: ['pipe', 'ignore', 'ignore'] });
    // A watchdog that could not start or died leaves tools unguarded, never the run failing: the next tool starts another.
    child.on('error', () => {
      if (watchdog === child) watchdog = null;
    });
    child.on('exit', () => {
      if (watchdog === child) watchdog = null;
    });
    child.stdin.on('error', () => {
      if (watchdog === child) watchdog = null;
    });
    // Neither the watchdog nor its pipe keeps wavid running; at wavid's normal exit the pipe closes and it ends too.
    child.unref();
    (child.stdin as unknown as { unref: () => void }).unref();
    watchdog = child;
    return child;
  } catch {
    return null;
  }
}

function tell(line: string): void {
  startWatchdog()?.stdin?.write(`${line}\n`);
}

/** The process's one watchdog, started with the first tool. */
export const orphanWatchdog: OrphanWatchdog = {
  track: (pid) => {
    tell(`+${pid}`);
  },
  untrack: (pid) => {
    if (watchdog) tell(`-${pid}`);
  },
};
