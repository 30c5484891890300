#!/bin/bash
# RUSTC_WRAPPER: runs rustc, appends "crate_name kind cpu(user+sys) sys wall outdir" to $FP_CPU_LOG.
rustc="$1"; shift
name=?; kind=lib; od=
args=("$@")
for ((i=0;i<${#args[@]};i++)); do
  case "${args[$i]}" in
    --crate-name) name="${args[$((i+1))]}";;
    --crate-type) kind="${args[$((i+1))]}";;
    --out-dir) od="${args[$((i+1))]}";;
  esac
done
if [ -z "$FP_CPU_LOG" ] || [ "$name" = "?" ]; then exec "$rustc" "$@"; fi
tf=$(mktemp /tmp/fp/t.XXXXXX)
/usr/bin/time -f "%U %S %e" -o "$tf" "$rustc" "$@"
rc=$?
read -r u s e < <(tail -1 "$tf"); rm -f "$tf"
[ "$name" = build_script_build ] && name="build:$(basename "$od")"
echo "$name $kind $(echo "$u + $s" | bc) $s $e" >> "$FP_CPU_LOG"
exit $rc
