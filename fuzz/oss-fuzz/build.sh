#!/bin/bash -eu
# Builds every harness for a continuous fuzzing service in the OSS-Fuzz
# style: $CXX and $CXXFLAGS carry the sanitizer and coverage flags,
# $LIB_FUZZING_ENGINE the engine's link flags; binaries, seed corpora and
# dictionaries go to $OUT. Only midatagram_pure is linked into a harness.
src=${SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
[[ -f $src/fuzz/harnesses.txt ]] || src=$SRC/mi-datagram
build=$WORK/mi-datagram-build

cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_COMPILER="$CXX" -DCMAKE_CXX_FLAGS="$CXXFLAGS" \
  -DMID_BUILD_TESTS=OFF -DMID_BUILD_BENCH=OFF -DMID_FUZZ_ENGINE="$LIB_FUZZING_ENGINE"

for harness in $(grep -E '^[a-z_]+$' "$src/fuzz/harnesses.txt"); do
  cmake --build "$build" --target "fuzz_${harness}_engine"
  cp "$build/fuzz/fuzz_${harness}_engine" "$OUT/$harness"
  seeds=("$src/fuzz/corpus/$harness")
  [[ -d $src/fuzz/regressions/$harness ]] && seeds+=("$src/fuzz/regressions/$harness")
  find "${seeds[@]}" -type f ! -name '.*' -print0 | xargs -0 zip -q -j "$OUT/${harness}_seed_corpus.zip"
  if [[ -f $src/fuzz/dict/$harness.dict ]]; then
    cp -L "$src/fuzz/dict/$harness.dict" "$OUT/$harness.dict"
  fi
done
