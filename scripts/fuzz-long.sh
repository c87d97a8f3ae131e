#!/usr/bin/env bash
# A long fuzz run of one target, for docs/reliability.md: runs BUILD_DIR/fuzz/TARGET with the same seeds and
# limits as run-fuzzers.sh (CI's short runs), keeps the grown corpus and any crash inputs under
# OUT_DIR/TARGET/, and prints one Markdown table row:
#   | target | date | wall time | CPU time | executions | corpus | crashes found | open |
# SECONDS is the wall-clock limit. With CPU_SECONDS the run instead ends once the fuzzer's processes have
# used that much CPU time (user + system, summed over libFuzzer's fork-mode jobs), SECONDS staying the
# upper bound: on a shared machine, where a `nice` run gets a varying share of a core, this makes "an hour
# of fuzzing" mean an hour of one core's work. The CPU column is measured either way.
# Segments: a run may be cut short (the machine's work session ends and its processes are killed). Every
# 10 s the script writes the segment's wall time, CPU time and executions so far to
# OUT_DIR/TARGET/segments/<start>.tsv. Calling it again with the same OUT_DIR continues: the fuzzer starts
# from the corpus grown so far, the CPU goal counts what earlier segments used, and the row gives the
# totals over all segments (wall and CPU time summed, "in N segments"; executions summed, those of a job
# cut short not counted). A killed segment counts up to its last 10-s record.
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
mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/segments"
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

# Earlier segments of this run: "start wall_s cpu_s execs" each.
sum_segments() { cat "$dir"/segments/*.tsv 2>/dev/null | awk '
  NR == 1 || $1 < first { first = $1 } { n++; w += $2; c += $3; e += $4 }
  END { printf "%d %s %d %d %d\n", n, (n ? first : "-"), w, c, e }'; }
read -r prev_n _ _ prev_cpu _ < <(sum_segments)
# the row over all segments so far
report() {
  local nseg first wall_s cpu_s execs crashes units kb wall_txt
  read -r nseg first wall_s cpu_s execs < <(sum_segments)
  crashes=$(find "$dir/artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  units=$(find "$dir/corpus" -type f | wc -l)
  kb=$(du -sk "$dir/corpus" | cut -f1)
  wall_txt="$(( wall_s / 60 )) min"; [ "$nseg" -gt 1 ] && wall_txt="$wall_txt in $nseg segments"
  echo "| $NAME | ${first%:*}Z | $wall_txt | $(( cpu_s / 60 )) min | $execs | $units inputs, $kb KiB | $crashes | $crashes |"
  [ "$crashes" -eq 0 ]
}
if [ -n "$CPU_GOAL" ] && [ "$prev_cpu" -ge "$CPU_GOAL" ]; then
  echo "fuzz-long: $NAME already has ${prev_cpu} s of CPU time in $prev_n segments (goal $CPU_GOAL s)" >&2
  report; exit
fi
# the last "#N: cov: ..." line of libFuzzer's fork mode has the executions of the finished jobs
log_execs() { { grep -E '^#[0-9]+: cov: ' "$log" 2>/dev/null || true; } | tail -1 | sed -nE 's/^#([0-9]+):.*/\1/p'; }

start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
seg=$dir/segments/$start.tsv
log=$dir/segments/$start.log
t0=$(date +%s)
status=0
record() {  # record CPU_SECONDS: this segment so far (written whole, then renamed: a kill leaves the last one)
  local e; e=$(log_execs); echo "$start $(( $(date +%s) - t0 )) $1 ${e:-0}" > "$seg.tmp" && mv "$seg.tmp" "$seg"
}
# -fork keeps going after a crash (each crash is saved); one job so it stays on one core. setsid gives the
# fuzzer and its jobs their own session, so their CPU time can be summed and they can be stopped together.
setsid -w "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 -max_total_time="$SECS" \
  -timeout=10 -rss_limit_mb=2048 -max_len=4096 -artifact_prefix="$dir/artifacts/" "$dir/corpus" \
  "${seeds[@]}" > "$log" 2>&1 &
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
while kill -0 "$pid" 2>/dev/null; do
  sleep 10
  used=$(session_cpu "$sid")
  record "$used"
  if [ -n "$CPU_GOAL" ] && [ $(( prev_cpu + used )) -ge "$CPU_GOAL" ]; then
    stopped=1
    # the fork-mode parent first (a job killed under it would be counted as a crash), then its jobs
    kill -INT "$sid" 2>/dev/null || true
    for _ in 1 2 3 4 5 6; do kill -0 "$sid" 2>/dev/null || break; sleep 5; done
    kill -KILL -- "-$sid" 2>/dev/null || true
    break
  fi
done
wait "$pid" || status=$?
[ "$stopped" -eq 1 ] && status=0   # stopped by us at the CPU goal, not a failure
t1=$(date +%s)
# bash's `times`: second line = user and system time of this shell's reaped children (the fuzzer and,
# through it, its jobs). Run in this shell (a redirection, not a pipe or $(...), which would run it in a
# subshell that has no children).
times > "$dir/times"
cpu=$(sed -n 2p "$dir/times" | sed -E 's/([0-9]+)m([0-9.]+)s/\1 \2/g' | awk '{printf "%d\n", $1*60+$2+$3*60+$4}')
record "$cpu"
report || exit 1
[ "$status" -eq 0 ] || exit 1
