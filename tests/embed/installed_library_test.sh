#!/usr/bin/env bash
# Installs the built project into a temporary prefix, builds
# examples/hello_server.cpp against it with pkg-config and with CMake's
# find_package, runs each program and asks it over a real socket.
# Usage: installed_library_test.sh BUILD_DIR EXAMPLES_DIR CLIENT
set -euo pipefail
build=$1 examples=$2 client=$3
work=$(mktemp -d /tmp/mid-install-XXXXXX)
trap 'pkill -TERM -f "$work/" 2>/dev/null || true; rm -rf "$work"' EXIT
# Root's and 0755: the server accepts a socket directory no one but root
# (or the user starting it) owns or can write.
chmod 0755 "$work"

cmake --install "$build" --prefix "$work/prefix" >/dev/null
libdir=$(find "$work/prefix" -name midatagram.pc -printf '%h\n' | head -1)
[ -n "$libdir" ] || { echo "midatagram.pc was not installed"; exit 1; }
for f in libmidatagram.so.0 libmidatagram.a cmake/midatagram/midatagramConfig.cmake; do
  [ -e "$libdir/../$f" ] || { echo "missing after install: $f"; exit 1; }
done
soname=$(objdump -p "$libdir/../libmidatagram.so.0" | awk '/SONAME/ {print $2}')
[ "$soname" = libmidatagram.so.0 ] || { echo "SONAME is '$soname'"; exit 1; }

export PKG_CONFIG_PATH=$libdir
# shellcheck disable=SC2046
g++ -O1 -o "$work/hello-pkgconfig" "$examples/hello_server.cpp" \
  $(pkg-config --cflags --libs midatagram) -Wl,-rpath,"$libdir/.."
cmake -S "$examples" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_RPATH="$libdir/.." >/dev/null
cmake --build "$work/cmake-build" >/dev/null

check() {  # check PROGRAM
  local program=$1 socket=$work/$(basename "$1").sock
  "$program" "$socket" >"$work/$(basename "$1").log" 2>&1 &
  local pid=$!
  for _ in $(seq 200); do [ -S "$socket" ] && break; sleep 0.05; done
  local reply
  reply=$("$client" -s "$socket" hello installed)
  kill -TERM $pid; wait $pid
  if [ "$reply" != $'200 OK\nGreeting:: Hello, installed' ]; then
    echo "$program answered: $reply"; cat "$work/$(basename "$1").log"; return 1
  fi
  echo "ok: $program"
}
check "$work/hello-pkgconfig"
check "$work/cmake-build/hello-server"
