// Finding the processes of a measurement in /proc (Linux): an engine by its port in its command
// line (PostgreSQL's postmaster is started with `-p PORT`, Redis with `--port PORT` or named
// `redis-server HOST:PORT`), and a process with its children (PostgreSQL's backends are the postmaster's).
import { readdirSync, readFileSync } from 'node:fs';

/** Every running process: pid, parent pid and command line (spaces between arguments). */
function processes(): { pid: number; ppid: number; cmdline: string }[] {
  const out: { pid: number; ppid: number; cmdline: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.split(') ')[1]!.split(' ')[1]);
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
