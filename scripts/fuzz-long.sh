#!/usr/bin/env bash
# A long fuzz run of one target, for docs/reliability.md: runs BUILD_DIR/fuzz/TARGET with the same seeds and
# limits as run-fuzzers.sh (CI's short runs), keeps the grown corpus and any crash inputs under
# OUT_DIR/TARGET/, and prints one Markdown table row:
#   | target | date | wall time | CPU time | executions | corpus | crashes found | open |
# SECONDS is the wall-clock limit. With CPU_SECONDS the run instead ends once the fuzzer's processes have
# used that much CPU time (user + system, summed over libFuzzer's fork-mode jobs), SECONDS staying the
# upper bound: on a shared machine, where a `nice` run gets a varying share of a core, this makes "an hour
# of fuzzing" mean an hour of one core's work. The CPU column is measured either way.
# A crash does not stop the report: the row says what was found; the exit status is 1 then.
# usage: scripts/fuzz-long.sh BUILD_DIR TARGET SECONDS OUT_DIR [CPU_SECONDS]
set -euo pipefail
[ $# -eq 4 ] || [ $# -eq 5 ] || {
  echo "usage: scripts/fuzz-long.sh BUILD_DIR TARGET SECONDS OUT_DIR [CPU_SECONDS]" >&2; exit 2; }
BUILD_DIR=$1; NAME=$2; SECS=$3; OUT=$4; CPU_GOAL=${5:-}
. "$(dirname "$0")/fuzz-seeds.sh"
bin=$BUILD_DIR/fuzz/$NAME
[ -x "$bin" ] || { echo "fuzz-long: no fuzz target $bin" >&2; exit 2; }
dir=$OUT/$NAME
mkdir -p "$dir/corpus" "$dir/artifacts"
mapfile -t seeds < <(fuzz_seed_dirs "$NAME" "$dir")
tick=$(getconf CLK_TCK)

# CPU seconds used so far by the processes of session SID: each live process's own time plus what its
# reaped children used (cutime/cstime), so jobs that already ended are counted once, by their parent.
session_cpu() {
  local sid=$1 p rest ticks=0
  for p in $(ps -s "$sid" -o pid= 2>/dev/null); do
    rest=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    rest=${rest##*) }
    # fields after "comm)": 3=state ... 14=utime 15=stime 16=cutime 17=cstime
    read -r -a f <<<"$rest"
    ticks=$(( ticks + f[11] + f[12] + f[13] + f[14] ))
  done
  echo $(( ticks / tick ))
}

start=$(date -u +%Y-%m-%dT%H:%MZ)
t0=$(date +%s)
status=0
# -fork keeps going after a crash (each crash is saved); one job so it stays on one core. setsid gives the
# fuzzer and its jobs their own session, so their CPU time can be summed and they can be stopped together.
setsid -w "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$SECS" \
  -timeout=10 -rss_limit_mb=2048 -max_len=4096 -artifact_prefix="$dir/artifacts/" "$dir/corpus" \
  "${seeds[@]}" > "$dir/log" 2>&1 &
pid=$!
# The fuzzer's session: setsid runs it in place (session id = $!), or forks first when it was started
# as a process-group leader (a caller with job control) and then waits for it (-w).
sid=
for _ in $(seq 100); do
  if [ "$(ps -o sid= -p "$pid" | tr -d ' ')" = "$pid" ]; then sid=$pid; break; fi
  c=$(pgrep -P "$pid" | head -1 || true)
  if [ -n "$c" ] && [ "$(ps -o sid= -p "$c" | tr -d ' ')" = "$c" ]; then sid=$c; break; fi
  sleep 0.02
done
[ -n "$sid" ] || sid=$pid
# A new session is a new scheduler autogroup (kernel.sched_autogroup_enabled), and autogroups share the
# CPU as equals whatever their processes' nice value: give the fuzzer's group this script's niceness, so
# that `nice -n 19 scripts/fuzz-long.sh ...` really runs in the background.
echo "$(nice)" > "/proc/$sid/autogroup" 2>/dev/null || true
stopped=0
if [ -n "$CPU_GOAL" ]; then
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    if [ "$(session_cpu "$sid")" -ge "$CPU_GOAL" ]; then
      stopped=1
      # the fork-mode parent first (a job killed under it would be counted as a crash), then its jobs
      kill -INT "$sid" 2>/dev/null || true
      for _ in 1 2 3 4 5 6; do kill -0 "$sid" 2>/dev/null || break; sleep 5; done
      kill -KILL -- "-$sid" 2>/dev/null || true
      break
    fi
  done
fi
wait "$pid" || status=$?
[ "$stopped" -eq 1 ] && status=0   # stopped by us at the CPU goal, not a failure
t1=$(date +%s)
# bash's `times`: second line = user and system time of this shell's reaped children (the fuzzer and,
# through it, its jobs). Run in this shell (a redirection, not a pipe or $(...), which would run it in a
# subshell that has no children).
times > "$dir/times"
cpu=$(sed -n 2p "$dir/times" | sed -E 's/([0-9]+)m([0-9.]+)s/\1 \2/g' | awk '{printf "%d\n", $1*60+$2+$3*60+$4}')
# libFuzzer's fork mode prints "#N: cov: ... exec/s E oom/timeout/crash: O/T/C ..." after each job; the
# last one has the totals (executions of a job cut short by the CPU goal are not counted).
last=$(grep -E '^#[0-9]+: cov: ' "$dir/log" | tail -1 || true)
execs=$(sed -nE 's/^#([0-9]+):.*/\1/p' <<<"$last")
crashes=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
units=$(find "$dir/corpus" -type f | wc -l)
kb=$(du -sk "$dir/corpus" | cut -f1)
echo "| $NAME | $start | $(( (t1 - t0) / 60 )) min | $(( cpu / 60 )) min | ${execs:-?} | $units inputs, $kb KiB | $crashes | $crashes |"
[ "$crashes" -eq 0 ] && [ "$status" -eq 0 ] || exit 1
