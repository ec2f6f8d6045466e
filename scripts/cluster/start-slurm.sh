#!/usr/bin/env bash
# Starts a one-node Slurm cluster on this machine: munged, slurmctld and slurmd, with the
# machine's real CPUs and memory, for the end-to-end tests (ts/test/cluster-*.test.ts) and the
# cluster benchmark. Installs nothing: Debian's slurm-wlm and munge must be there (.ci/run
# installs them). Run as root. Idempotent: a daemon already running is left alone.
#
#   scripts/cluster/start-slurm.sh        configure, start, wait until the node is idle
#   scripts/cluster/stop-slurm.sh         stop the three daemons
#
# No accounting is configured (sacct answers nothing), as on many clusters: tmake's engine
# must tell a job's end from squeue and the job's own exit-status file.
set -euo pipefail

for tool in munged slurmctld slurmd sinfo; do
  command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin
  command -v "$tool" >/dev/null 2>&1 || { echo "start-slurm: $tool not found (apt-get install slurm-wlm munge)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "start-slurm: must run as root" >&2; exit 1; }

host=$(hostname -s)

# munge: a key in /etc/munge owned by munge, munged running as munge.
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null 2>&1; then mungekey --create --force --keyfile=/etc/munge/munge.key
  else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
fi
chown munge:munge /etc/munge /etc/munge/munge.key
chmod 700 /etc/munge
chmod 400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
if ! pgrep -x munged >/dev/null; then
  runuser -u munge -- munged --force
fi
for _ in $(seq 50); do munge -n </dev/null >/dev/null 2>&1 && break; sleep 0.1; done
munge -n </dev/null | unmunge >/dev/null

# slurm.conf: one node with what slurmd -C reports (its CPUs and memory), one default partition.
node=$(slurmd -C | head -n 1)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/slurm
cat >/etc/slurm/slurm.conf <<CONF
# Written by tmake's scripts/cluster/start-slurm.sh: a one-node cluster on localhost.
ClusterName=tmake
SlurmctldHost=$host
AuthType=auth/munge
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurm/slurmctld.pid
SlurmdPidFile=/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
# Keep finished jobs visible to squeue for 5 minutes (the default). Schedule at once on each
# submission and job end, and backfill every second: with Slurm's defaults a job whose
# dependencies are met waits up to 3 s (batch_sched_delay) and the next backfill cycle.
MinJobAge=300
SchedulerParameters=batch_sched_delay=0,sched_min_interval=0,bf_interval=1
MaxJobCount=100000
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
CONF
# Debian's cgroup.conf is not needed with proctrack/linuxproc and task/none.

pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd

# Ready when the node is idle (or already running jobs).
for _ in $(seq 150); do
  state=$(sinfo -h -n "$host" -o %t 2>/dev/null || true)
  case $state in idle* | mix* | alloc*) echo "slurm: node $host $state"; exit 0 ;; esac
  sleep 0.2
done
echo "start-slurm: the node did not come up; sinfo says: $(sinfo 2>&1)" >&2
tail -n 20 /var/log/slurm/slurmctld.log /var/log/slurm/slurmd.log >&2 || true
exit 1
