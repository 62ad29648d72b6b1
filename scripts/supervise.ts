/**
 * The child-process supervisor behind `npm start`: runs the web server and
 * the worker, restarts one that crashes (first after 1 s, then doubling up
 * to 30 s; a child that stayed up a minute starts again from 1 s), and
 * gives up only when one crashes repeatedly (5 times within a minute).
 * Children stay in the supervisor's process group, so Ctrl+C in a terminal,
 * or an operator's `kill -- -<pgid>`, reaches all of them; SIGTERM to the
 * supervisor alone stops them too (see stop()).
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  stdio?: StdioOptions;
}

export interface SuperviseOptions {
  say?: (message: string) => void;
  /** The first restart's delay; each crash in a row doubles it, up to `maxDelayMs`. */
  firstDelayMs?: number;
  maxDelayMs?: number;
  /** A child that ran this long before it exited starts again from `firstDelayMs`. */
  stableMs?: number;
  /** This many crashes of one child within `crashWindowMs` and the supervisor gives up. */
  crashLimit?: number;
  crashWindowMs?: number;
  /** How long stop() waits for children to exit after SIGTERM before it sends SIGKILL. */
  stopTimeoutMs?: number;
  /** Called with each child process as it starts (tests and output capture). */
  onSpawn?: (name: string, child: ChildProcess) => void;
}

export interface Supervisor {
  start(spec: ChildSpec): void;
  /** The running child's pid, if it is running. */
  pid(name: string): number | undefined;
  /** How often each child has been restarted. */
  restarts(name: string): number;
  /** Stops restarting, sends SIGTERM to every child, SIGKILL to those still there after stopTimeoutMs. */
  stop(): Promise<void>;
  /** Resolves with a reason when a child crashed too often; the caller stops everything. */
  readonly gaveUp: Promise<string>;
}

interface Slot {
  spec: ChildSpec;
  child?: ChildProcess;
  startedAt: number;
  inARow: number;
  crashes: number[];
  restarts: number;
  timer?: NodeJS.Timeout;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const exitText = (code: number | null, signal: NodeJS.Signals | null) => (signal ? `signal ${signal}` : `code ${code}`);

export function supervise(opts: SuperviseOptions = {}): Supervisor {
  const say = opts.say ?? ((m: string) => console.log(`roster: ${m}`));
  const firstDelayMs = opts.firstDelayMs ?? 1_000;
  const maxDelayMs = opts.maxDelayMs ?? 30_000;
  const stableMs = opts.stableMs ?? 60_000;
  const crashLimit = opts.crashLimit ?? 5;
  const crashWindowMs = opts.crashWindowMs ?? 60_000;
  const stopTimeoutMs = opts.stopTimeoutMs ?? 15_000;
  const slots = new Map<string, Slot>();
  let stopping = false;
  let giveUp!: (reason: string) => void;
  const gaveUp = new Promise<string>((r) => (giveUp = r));

  const run = (slot: Slot) => {
    const { spec } = slot;
    // Not detached: the child shares the supervisor's process group.
    const child = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: spec.stdio ?? 'inherit' });
    slot.child = child;
    slot.startedAt = Date.now();
    say(`${spec.name} started (pid ${child.pid})`);
    opts.onSpawn?.(spec.name, child);
    child.once('error', (err) => say(`${spec.name} could not start: ${err.message}`));
    child.once('exit', (code, signal) => {
      slot.child = undefined;
      if (stopping) return;
      const now = Date.now();
      if (now - slot.startedAt >= stableMs) slot.inARow = 0;
      slot.inARow += 1;
      slot.crashes = [...slot.crashes.filter((t) => now - t < crashWindowMs), now];
      if (slot.crashes.length >= crashLimit) {
        say(`${spec.name} exited (${exitText(code, signal)}): ${slot.crashes.length} crashes within ${seconds(crashWindowMs)}; giving up`);
        giveUp(`${spec.name} crashed ${slot.crashes.length} times within ${seconds(crashWindowMs)}`);
        return;
      }
      const delay = Math.min(maxDelayMs, firstDelayMs * 2 ** (slot.inARow - 1));
      say(`${spec.name} exited (${exitText(code, signal)}); restarting in ${seconds(delay)}`);
      slot.timer = setTimeout(() => {
        slot.timer = undefined;
        if (stopping) return;
        slot.restarts += 1;
        run(slot);
      }, delay);
    });
  };

  return {
    start(spec) {
      if (slots.has(spec.name)) throw new Error(`${spec.name} is already supervised`);
      const slot: Slot = { spec, startedAt: 0, inARow: 0, crashes: [], restarts: 0 };
      slots.set(spec.name, slot);
      run(slot);
    },
    pid: (name) => slots.get(name)?.child?.pid,
    restarts: (name) => slots.get(name)?.restarts ?? 0,
    gaveUp,
    async stop() {
      stopping = true;
      await Promise.all(
        [...slots.values()].map((slot) => {
          clearTimeout(slot.timer);
          const child = slot.child;
          if (!child || child.exitCode !== null || child.signalCode !== null) return;
          return new Promise<void>((resolve) => {
            const kill = setTimeout(() => {
              say(`${slot.spec.name} still running ${seconds(stopTimeoutMs)} after SIGTERM; killing it`);
              child.kill('SIGKILL');
            }, stopTimeoutMs);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          });
        }),
      );
    },
  };
}
