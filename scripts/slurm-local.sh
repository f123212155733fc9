#!/usr/bin/env bash
# A single-node Slurm cluster on this host (controller and one compute daemon), as root, for the
# test that submits docs/slurm-grid.sh (test/experiments/slurm.test.ts). Debian 12: Slurm 22.05.
# Idempotent: installs slurm-wlm and munge if missing, writes a minimal /etc/slurm/slurm.conf
# (only where none exists, or where it is one this script wrote), starts munged, slurmctld and
# slurmd unless they run, and waits until the node is idle. Exit 0 when the cluster takes jobs.
set -euo pipefail

MARK="# Written by flatlab scripts/slurm-local.sh"
CONF=/etc/slurm/slurm.conf
HOST=$(hostname -s)

say() { echo "slurm-local: $*"; }

if [ "$(id -u)" != 0 ]; then say "must run as root (it installs packages and starts daemons)"; exit 1; fi

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge > /tmp/flatlab-slurm-apt.log 2>&1 || { tail -30 /tmp/flatlab-slurm-apt.log; exit 1; }
fi

# proctrack/cgroup (cgroup v1 freezer) kills every process of a cancelled job; proctrack/linuxproc
# loses the processes that outlive the batch shell (seen: npx's node kept computing after scancel).
PROCTRACK=proctrack/linuxproc
probe=/sys/fs/cgroup/freezer/flatlab-probe.$$
if [ -d /sys/fs/cgroup/freezer ] && mkdir "$probe" 2>/dev/null; then rmdir "$probe"; PROCTRACK=proctrack/cgroup; fi

if [ ! -e "$CONF" ] || head -1 "$CONF" | grep -qF "$MARK"; then
  CPUS=$(nproc)
  MEM=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  cat > "$CONF.new" <<EOF
$MARK: a single-node cluster on this host.
ClusterName=flatlab
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=$PROCTRACK
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
JobRequeue=1
KillWait=5
MinJobAge=600
NodeName=$HOST CPUs=$CPUS RealMemory=$MEM State=UNKNOWN
PartitionName=debug Nodes=$HOST Default=YES MaxTime=INFINITE State=UP
EOF
  if ! cmp -s "$CONF.new" "$CONF" 2>/dev/null; then mv "$CONF.new" "$CONF"; changed=1; else rm "$CONF.new"; fi
  if [ "$PROCTRACK" = proctrack/cgroup ] && [ ! -e /etc/slurm/cgroup.conf ]; then
    printf '%s\n' "$MARK" CgroupPlugin=cgroup/v1 CgroupMountpoint=/sys/fs/cgroup ConstrainCores=no ConstrainRAMSpace=no ConstrainDevices=no > /etc/slurm/cgroup.conf
    changed=1
  fi
fi
[ "$PROCTRACK" = proctrack/cgroup ] || say "no writable cgroup v1 freezer: proctrack/linuxproc, which may miss processes of a cancelled job"


if ! pgrep -x munged >/dev/null; then
  say "starting munged"
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
fi
munge -n | unmunge >/dev/null || { say "munge does not work"; exit 1; }

# A configuration written just now needs the daemons restarted to take effect.
if [ "${changed:-0}" = 1 ]; then
  for d in slurmctld slurmd; do
    pid=$(cat "/run/$d.pid" 2>/dev/null || true)
    if [ -n "$pid" ] && kill "$pid" 2>/dev/null; then
      say "restarting $d (new configuration)"
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    fi
  done
fi
if ! pgrep -x slurmctld >/dev/null; then say "starting slurmctld"; slurmctld; fi
if ! pgrep -x slurmd >/dev/null; then say "starting slurmd"; slurmd; fi

for _ in $(seq 1 60); do
  state=$(sinfo -h -n "$HOST" -o %T 2>/dev/null || true)
  case "$state" in
    idle*|mixed*|allocated*) say "node $HOST is $state"; exit 0 ;;
    down*|drain*) scontrol update nodename="$HOST" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 1
done
say "the node did not become idle within 60 s (state: ${state:-none}); logs in /var/log/slurm"
exit 1
