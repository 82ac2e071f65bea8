#!/usr/bin/env bash
# Checks the seccomp policies against the system calls the daemon really
# makes: runs the whole end-to-end suite (ctest -L e2e, which includes the
# adversarial tests) with every daemon that tests/e2e/daemon_process.cpp
# starts running under `strace -f -ff` (MID_E2E_STRACE_DIR), then reads one
# trace file per process:
#   worker calls  what a worker does after its last successful
#                 seccomp(SECCOMP_SET_MODE_FILTER) (its own filter);
#   master calls  what the master does after its filter, and everything a
#                 worker does (forked after that filter, it inherits it).
# and fails when
#   (a) a call was made that no line of the policy allows (the process would
#       have died: the method is wrong, or a test died of SIGSYS), or a
#       process died of SIGSYS or received a seccomp SIGSYS;
#   (b) a policy line matched no call and its reason does not start with
#       "[rare]" (a path the suite cannot reach, said why): a line no code
#       needs is attack surface for nothing.
# A line with conditions is seen when a call matches them as strace decodes
# the arguments ("argN == V": the same flag names; "& MASK == V": the
# MASK's names absent but V's, anywhere in the arguments).
#
# Usage: policy_coverage.sh [--calls-only] BUILD_DIR POLICY_DIR [EXTRA_POLICY]
#        policy_coverage.sh [--calls-only] --traces TRACE_DIR POLICY_DIR [EXTRA_POLICY]
# EXTRA_POLICY (policy/sanitizers.policy in a sanitizer build) is appended
# to both roles, as the build does. --calls-only checks (a) alone: in a
# sanitizer build the runtime's allocator replaces malloc (no brk, other
# mmap patterns), so which lines go unused says nothing of the release
# build, while a call the filters refuse still kills the daemon.
set -uo pipefail

# Tests that trace the daemon themselves (ptrace allows one tracer).
readonly SELF_TRACING='ReplyDestinationAttack\.'

usage() {
  echo "usage: $0 [--calls-only] BUILD_DIR|--traces TRACE_DIR POLICY_DIR [EXTRA_POLICY]" >&2
  exit 2
}

# A test whose timing strace upsets gets three tries: what this script
# checks is in the traces (a SIGSYS death fails it whatever the test says).
run_suite() {  # BUILD_DIR TRACE_DIR: 0 when every test passed
  local jobs
  jobs=$(nproc)
  echo "== the e2e suite, each daemon under strace (traces in $2)"
  MID_E2E_STRACE_DIR=$2 ctest --test-dir "$1" --no-tests=error -L e2e --repeat until-pass:3 \
    -E "policy_coverage|$SELF_TRACING" -j "$jobs" --output-on-failure >"$2/ctest.log" 2>&1
  local status=$?
  grep -E 'tests passed|tests failed|\(Failed\)|\(SEGFAULT\)|\(Timeout\)|Exception' "$2/ctest.log"
  return $status
}

# One line per call: ROLE<TAB>CALL, ROLE = worker (under both filters) or
# master (under the master's), plus "died" lines for SIGSYS.
calls_of() {  # DAEMON_DIR
  local file master=""
  for file in "$1"/trace.*; do
    head -n 1 "$file" | grep -q '^execve(.*mi-datagramd' && master=$file
  done
  [ -n "$master" ] || return 0
  grep -q '^seccomp(SECCOMP_SET_MODE_FILTER, .*) = 0$' "$master" || return 0  # sandbox = off
  awk 'f { print "master\t" $0 } /^seccomp\(SECCOMP_SET_MODE_FILTER, .*\) = 0$/ { f = 1 }' "$master"
  for file in "$1"/trace.*; do
    [ "$file" = "$master" ] && continue
    awk -v file="$file" '
      /^seccomp\(SECCOMP_SET_MODE_FILTER, .*\) = 0$/ { last = NR }
      { line[NR] = $0 }
      END {
        for (i = 1; i <= NR; i++) {
          if (last && i > last) print "worker\t" line[i]; else print "master\t" line[i]
        }
      }' "$file"
  done
}

main() {
  local calls_only=0
  if [ "${1:-}" = --calls-only ]; then
    calls_only=1
    shift
  fi
  [ $# -ge 2 ] || usage
  local traces suite_status=0 made_here=0
  if [ "$1" = --traces ]; then
    [ $# -ge 3 ] || usage
    traces=$2
    shift 2
  else
    command -v strace >/dev/null || { echo "strace is missing (scripts/install-deps)" >&2; exit 2; }
    [ -d "$1" ] || usage
    traces=$(mktemp -d /tmp/mid-policy-coverage-XXXXXX)
    made_here=1
    run_suite "$1" "$traces" || suite_status=1
    shift
  fi
  local policy_dir=$1 extra=${2:-}
  local daemons=0 dir
  for dir in "$traces"/*/; do
    [ -e "$dir" ] || continue
    daemons=$((daemons + 1))
    calls_of "$dir"
  done >"$traces/calls.tsv"
  echo "== $daemons daemons traced, $(grep -c '^worker' "$traces/calls.tsv") worker calls, $(grep -c '^master' "$traces/calls.tsv") master calls"
  [ -s "$traces/calls.tsv" ] || { echo "FAIL: no call was traced"; exit 1; }
  awk -f "$(dirname "$0")/policy_coverage.awk" \
    -v master="$policy_dir/master.policy" -v worker="$policy_dir/worker.policy" \
    -v extra="$extra" -v calls_only=$calls_only "$traces/calls.tsv"
  local check_status=$?
  if [ $suite_status -ne 0 ]; then
    echo "FAIL: tests of the suite failed under strace (see $traces/ctest.log)"
  fi
  [ $check_status -eq 0 ] && [ $suite_status -eq 0 ] || exit 1
  [ $made_here -eq 0 ] || rm -rf "$traces"
}

main "$@"
