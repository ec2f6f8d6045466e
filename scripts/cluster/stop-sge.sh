#!/usr/bin/env bash
# Stops the one-node Grid Engine that start-sge.sh started (sge_execd, sge_qmaster) and waits
# until they are gone. Jobs still in the queue stay in its spool for the next start.
set -uo pipefail
daemons=(sge_execd sge_qmaster)
running() { for d in "${daemons[@]}"; do pgrep -x "$d"; done; }
for pid in $(running); do kill "$pid" 2>/dev/null; done
for _ in $(seq 150); do [ -z "$(running)" ] && exit 0; sleep 0.1; done
echo "stop-sge: still running: $(running | tr '\n' ' ')" >&2
exit 1
