#!/usr/bin/env bash
# Starts a one-node Grid Engine cell ("default") on this machine: sge_qmaster and sge_execd,
# with one queue all.q holding as many slots as the machine has CPUs, for the end-to-end tests
# (ts/test/cluster-*.test.ts). Installs nothing: Debian's gridengine-master, gridengine-exec
# and gridengine-client must be there (.ci/run installs them with the debconf answers below).
# Run as root. Idempotent: a daemon already running is left alone.
#
#   scripts/cluster/start-sge.sh     configure, start, wait until all.q takes jobs
#   scripts/cluster/stop-sge.sh      stop both daemons
#
# What Grid Engine needs, beyond the packages (each verified on a one-node Debian 12 machine):
#  - 127.0.0.1 resolving forward and back to the host name: its line first in /etc/hosts;
#  - the host as a submit host (qconf -as), and min_uid/min_gid 0 in the global configuration
#    so that root may run jobs, set before sge_execd starts (an execd started before keeps the
#    old limits and puts the queue in error state at the first job);
#  - sge_qmaster and sge_execd started directly (no init system here);
#  - the queue all.q added with qconf -Aq, every attribute present; the queue starts scripts by
#    their #! line (shell_start_mode unix_behavior) and has no load threshold (a shared
#    machine's load would otherwise mark it overloaded);
#  - a one-second schedule_interval, and scheduling at each submission and job end.
set -euo pipefail
PATH=$PATH:/usr/sbin
export SGE_ROOT=${SGE_ROOT:-/var/lib/gridengine} SGE_CELL=${SGE_CELL:-default}
for tool in sge_qmaster sge_execd qconf qsub qstat; do
  command -v "$tool" >/dev/null 2>&1 || { echo "start-sge: $tool not found (apt-get install gridengine-master gridengine-exec gridengine-client)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "start-sge: must run as root" >&2; exit 1; }

host=$(hostname)
common=$SGE_ROOT/$SGE_CELL/common
conf=$(mktemp -d)
trap 'rm -rf "$conf"' EXIT

# 127.0.0.1 <host> first in /etc/hosts, so that the address resolves back to the host name.
if [ "$(head -n 1 /etc/hosts)" != "127.0.0.1 $host localhost" ]; then
  { echo "127.0.0.1 $host localhost"; grep -v -x "127.0.0.1[[:space:]]*$host\( localhost\)\?" /etc/hosts || true; } >"$conf/hosts"
  cat "$conf/hosts" >/etc/hosts
fi

# The cell: made by gridengine-master's postinst when debconf said so; made here otherwise.
if [ ! -f "$common/bootstrap" ]; then
  su -s /bin/sh -c "/usr/share/gridengine/scripts/init_cluster $SGE_ROOT $SGE_CELL /var/spool/gridengine/spooldb sgeadmin" sgeadmin
fi
echo "$host" >"$common/act_qmaster"
mkdir -p /var/run/gridengine /var/spool/gridengine/execd
chown sgeadmin:sgeadmin /var/run/gridengine /var/spool/gridengine/execd

if ! pgrep -x sge_qmaster >/dev/null; then
  SGE_MASTER_PIDFILE=/var/run/gridengine/qmaster.pid sge_qmaster
fi
for _ in $(seq 100); do qconf -sh >/dev/null 2>&1 && break; sleep 0.1; done
qconf -sh >/dev/null

# Root may submit and run jobs.
qconf -sconf global >"$conf/global"
sed -i -e 's/^min_uid .*/min_uid                      0/' -e 's/^min_gid .*/min_gid                      0/' "$conf/global"
qconf -Mconf "$conf/global" >/dev/null 2>&1
qconf -ss 2>/dev/null | grep -q -x "$host" || qconf -as "$host" >/dev/null
qconf -sh 2>/dev/null | grep -q -x "$host" || qconf -ah "$host" >/dev/null

# Schedule every second, and at once when a job is submitted or ends.
qconf -ssconf >"$conf/sched"
sed -i -e 's/^schedule_interval .*/schedule_interval                 0:0:1/' \
  -e 's/^flush_submit_sec .*/flush_submit_sec                  1/' \
  -e 's/^flush_finish_sec .*/flush_finish_sec                  1/' \
  -e 's/^job_load_adjustments .*/job_load_adjustments              NONE/' \
  -e 's/^load_adjustment_decay_time .*/load_adjustment_decay_time        0:0:0/' "$conf/sched"
qconf -Msconf "$conf/sched" >/dev/null 2>&1

if ! pgrep -x sge_execd >/dev/null; then sge_execd; fi

# all.q, every attribute written out (qconf -Aq takes nothing less).
cat >"$conf/all.q" <<QUEUE
qname                 all.q
hostlist              $host
seq_no                0
load_thresholds       NONE
suspend_thresholds    NONE
nsuspend              1
suspend_interval      00:05:00
priority              0
min_cpu_interval      00:05:00
processors            UNDEFINED
qtype                 BATCH INTERACTIVE
ckpt_list             NONE
pe_list               NONE
rerun                 FALSE
slots                 $(nproc)
tmpdir                /tmp
shell                 /bin/sh
prolog                NONE
epilog                NONE
shell_start_mode      unix_behavior
starter_method        NONE
suspend_method        NONE
resume_method         NONE
terminate_method      NONE
notify                00:00:60
owner_list            NONE
user_lists            NONE
xuser_lists           NONE
subordinate_list      NONE
complex_values        NONE
projects              NONE
xprojects             NONE
calendar              NONE
initial_state         default
s_rt                  INFINITY
h_rt                  INFINITY
s_cpu                 INFINITY
h_cpu                 INFINITY
s_fsize               INFINITY
h_fsize               INFINITY
s_data                INFINITY
h_data                INFINITY
s_stack               INFINITY
h_stack               INFINITY
s_core                INFINITY
h_core                INFINITY
s_rss                 INFINITY
h_rss                 INFINITY
s_vmem                INFINITY
h_vmem                INFINITY
QUEUE
if qconf -sql 2>/dev/null | grep -q -x all.q; then qconf -Mq "$conf/all.q" >/dev/null 2>&1; else qconf -Aq "$conf/all.q" >/dev/null 2>&1; fi

# Ready when the execution host reports and the queue instance is in no error state.
for _ in $(seq 150); do
  line=$(qstat -f -q all.q 2>/dev/null | grep "^all.q@" || true)
  if [ -n "$line" ]; then
    states=$(awk '{print $6}' <<<"$line")
    load=$(awk '{print $4}' <<<"$line")
    case $states in *E*) qmod -c "all.q@$host" >/dev/null 2>&1 || true ;; esac
    if [ -z "$states" ] && [ "$load" != "-NA-" ]; then echo "sge: queue all.q@$host ready"; exit 0; fi
  fi
  sleep 0.2
done
echo "start-sge: all.q did not come up; qstat -f says:" >&2
qstat -f >&2 || true
exit 1
