#!/usr/bin/env bash
# Usage: scripts/check-glibc.sh FILE.node [FLOOR]
# Fails when `objdump -T` shows a glibc symbol version newer than FLOOR (default 2.17), the
# oldest glibc the binary must load on; prints the newest version it needs.
set -euo pipefail
file="$1"
floor="${2:-2.17}"

symbols="$(objdump -T "$file")"
newest="$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$symbols" | sed 's/^GLIBC_//' | sort -u -V | tail -n 1)"
if [ -z "$newest" ]; then
  echo "check-glibc: no versioned glibc symbol in $file (is it a glibc binary?)" >&2
  exit 1
fi
if [ "$(printf '%s\n%s\n' "$floor" "$newest" | sort -V | tail -n 1)" != "$floor" ]; then
  echo "check-glibc: $file needs GLIBC_$newest, newer than the floor $floor:" >&2
  # Each symbol whose version is above the floor (major.minor compared as numbers).
  awk -v floor="$floor" '
    match($0, /GLIBC_[0-9]+\.[0-9]+/) {
      split(substr($0, RSTART + 6, RLENGTH - 6), v, "."); split(floor, f, ".")
      if (v[1] > f[1] || (v[1] == f[1] && v[2] + 0 > f[2] + 0)) print "  " $NF " (GLIBC_" v[1] "." v[2] ")"
    }' <<<"$symbols" >&2
  exit 1
fi
echo "check-glibc: $file needs at most GLIBC_$newest (floor $floor)"
