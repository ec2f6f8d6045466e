// One command measured by GNU time (`/usr/bin/time -v`; `apt-get install time` if missing): its
// wall time, its CPU time (user + system, all its processes together; on a shared machine it
// moves less with the load than wall time), its peak memory and its exit status. The command's
// output is dropped, its standard error kept in `stderr.log` in `cwd`.
import { spawnSync } from "node:child_process";

/** Runs `cmd` (a shell command) in `cwd` once: { secs, cpu, rssMb, status }. */
export function timeV(cmd, cwd) {
  const r = spawnSync("/usr/bin/time", ["-v", "sh", "-c", `${cmd} >/dev/null 2>stderr.log`], { cwd, encoding: "utf8", maxBuffer: 1 << 26 });
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const user = /User time \(seconds\): ([\d.]+)/.exec(r.stderr);
  const sys = /System time \(seconds\): ([\d.]+)/.exec(r.stderr);
  return {
    secs: wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN,
    cpu: user && sys ? Number(user[1]) + Number(sys[1]) : NaN,
    rssMb: rss ? Number(rss[1]) / 1024 : NaN,
    status: Number(/Exit status: (\d+)/.exec(r.stderr)?.[1]),
  };
}
