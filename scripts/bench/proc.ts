// What the bench reads in /proc (Linux): a process's memory and CPU time, the machine's CPU time,
// and the processes of a measurement: an engine by its port in its command line (PostgreSQL's
// postmaster is started with `-p PORT`, Redis with `--port PORT` or named `redis-server
// HOST:PORT`), and a process with its children (PostgreSQL's backends are the postmaster's).
import { readdirSync, readFileSync } from 'node:fs';

/** A process's /proc/PID/stat fields after its command name (field 3 of stat(5) first); the name, in parentheses, may hold spaces. */
function statFields(pid: number | string): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** Every running process: pid, parent pid and command line (spaces between arguments). */
function processes(): { pid: number; ppid: number; cmdline: string }[] {
  const out: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const ppid = Number(statFields(name)[1]);
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // The process ended while it was being read.
    }
  }
  return out;
}

/** The pids of the PostgreSQL server listening on `port`: the postmaster and its children. */
export function postgresPids(port: number | null): number[] {
  const all = processes();
  const postmaster = all.find((p) => /(^|\/)postgres(\s|$)/.test(p.cmdline) && new RegExp(`(^|\\s)-p\\s*${port}(\\s|$)`).test(p.cmdline));
  return postmaster ? [postmaster.pid, ...all.filter((p) => p.ppid === postmaster.pid).map((p) => p.pid)] : [];
}

/** The pid of the Redis server listening on `port`. */
export function redisPids(port: number | null): number[] {
  // Redis may keep its arguments (`--port PORT`) or retitle itself (`redis-server 127.0.0.1:PORT`).
  const listening = new RegExp(`(:${port}|--port\\s+${port})(\\s|$)`);
  return processes()
    .filter((p) => /^(\S*\/)?redis-server(\s|$)/.test(p.cmdline) && listening.test(p.cmdline))
    .map((p) => p.pid);
}

/**
 * The whole machine's CPU time so far, from /proc/stat's first line, in clock ticks: `busy` (every
 * process's, anyone's) and `total` (busy + idle + iowait), summed over the cores.
 */
export function machineTicks(): { busy: number; total: number } {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** Resident set size and its peak, in bytes, from /proc (Linux); null elsewhere. */
export function memoryOf(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux); null elsewhere. */
export function cpuMsOf(pid: number): number | null {
  try {
    const fields = statFields(pid);
    // utime and stime, fields 14 and 15 of stat(5), 12 and 13 after the command name, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
