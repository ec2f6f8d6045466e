#!/usr/bin/env bash
# Stops the one-node Slurm that start-slurm.sh started (slurmd, slurmctld, munged) and waits
# until they are gone.
set -uo pipefail
PATH=$PATH:/usr/sbin
daemons=(slurmd slurmctld munged)
running() { for d in "${daemons[@]}"; do pgrep -x "$d"; done; }
for pid in $(running); do kill "$pid" 2>/dev/null; done
for _ in $(seq 100); do [ -z "$(running)" ] && exit 0; sleep 0.1; done
echo "stop-slurm: still running: $(running | tr '\n' ' ')" >&2
exit 1
