#!/bin/sh
# Checks, on the built files, every hardening property that README.md,
# SECURITY.md and docs/SANDBOX.md claim for the binaries (readelf, from
# binutils):
#   PIE             the programs are ET_DYN with the PIE flag
#   full RELRO      a GNU_RELRO segment and BIND_NOW
#   non-exec stack  GNU_STACK is RW, not RWE
#   stack protector __stack_chk_fail is imported
#   FORTIFY         checked variants (__*_chk) of libc calls are imported
#   _GLIBCXX_ASSERTIONS  std::__glibcxx_assert_fail is imported
#   clash protection     -fstack-clash-protection in the DWARF producer
#                        (needs debug information: without it the test
#                        exits 77, reported by ctest as skipped, not passed)
# Usage: hardening_claims_test.sh MI-DATAGRAMD MI-DATAGRAM LIBMIDATAGRAM.SO
set -u
[ $# -eq 3 ] || { echo "usage: $0 DAEMON CLIENT LIBRARY" >&2; exit 2; }
command -v readelf >/dev/null || { echo "readelf (binutils) is missing" >&2; exit 2; }

failures=0
unchecked=0
fail() { echo "FAIL: $1: $2"; failures=$((failures + 1)); }
pass() { echo "ok:   $1: $2"; }

check_file() {  # FILE IS_PROGRAM
  file=$1
  name=$(basename "$file")
  [ -f "$file" ] || { fail "$name" "no such file"; return; }
  header=$(readelf -hW "$file")
  dynamic=$(readelf -dW "$file")
  segments=$(readelf -lW "$file")
  imports=$(readelf --dyn-syms -W "$file" | awk '$7 == "UND" { print $8 }')

  if [ "$2" = program ]; then
    if echo "$header" | grep -q 'Type:.*DYN' && echo "$dynamic" | grep -q 'FLAGS_1.*PIE'; then
      pass "$name" "PIE"
    else
      fail "$name" "not a position-independent executable"
    fi
  fi
  echo "$segments" | grep -q 'GNU_RELRO' && pass "$name" "GNU_RELRO segment" ||
    fail "$name" "no GNU_RELRO segment"
  echo "$dynamic" | grep -Eq '\(FLAGS\).*BIND_NOW|FLAGS_1.*NOW' && pass "$name" "BIND_NOW" ||
    fail "$name" "no BIND_NOW: RELRO is partial"
  stack=$(echo "$segments" | awk '$1 == "GNU_STACK" { print $7 }')
  [ "$stack" = RW ] && pass "$name" "non-executable stack" ||
    fail "$name" "GNU_STACK flags are '$stack', not RW"
  echo "$imports" | grep -q '^__stack_chk_fail' && pass "$name" "stack protector" ||
    fail "$name" "__stack_chk_fail not imported"
  fortified=$(echo "$imports" | grep -E '^__[a-z]+_chk(@|$)' | grep -v '^__stack_chk' | cut -d@ -f1 |
              sort -u | tr '\n' ' ')
  [ -n "$fortified" ] && pass "$name" "FORTIFY ($fortified)" ||
    fail "$name" "no __*_chk import: not built with _FORTIFY_SOURCE"
  echo "$imports" | grep -q 'glibcxx_assert_fail' && pass "$name" "_GLIBCXX_ASSERTIONS" ||
    fail "$name" "std::__glibcxx_assert_fail not imported: no _GLIBCXX_ASSERTIONS"
  if readelf -SW "$file" | grep -q '\.debug_str'; then
    readelf -p .debug_str "$file" 2>/dev/null | grep -q -- '-fstack-clash-protection' &&
      pass "$name" "stack clash protection" ||
      fail "$name" "not compiled with -fstack-clash-protection"
  else
    echo "not checked: $name: stack clash protection (no debug information)"
    unchecked=$((unchecked + 1))
  fi
}

check_file "$1" program
check_file "$2" program
check_file "$3" library

if [ "$failures" -ne 0 ]; then
  echo "$failures hardening claim(s) do not hold"
  exit 1
fi
[ "$unchecked" -eq 0 ] || exit 77
echo "every hardening claim holds"
