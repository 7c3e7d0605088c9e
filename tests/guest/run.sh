#!/bin/sh
# Runs one guest test kernel and checks its TAP output.
#   run.sh VMXSIM KERNEL cache|nocache [SOURCE]
# SOURCE, the kernel's .asm, may declare the machine it needs in a line
#   ; vmxsim-options: -smp 3
# among its first ten lines; those options are added to the command line.
# The kernel prints TAP over COM1 ("1..N", "ok N ...", "not ok N ...")
# and ends through the debug-exit port with 0 (status 1) when done. The
# test passes when the plan is met, nothing is "not ok", and the exit
# status is 1.
sim=$1 kernel=$2 mode=$3
out=$(mktemp)
trap 'rm -f "$out"' EXIT
src=$4
opt=""
[ "$mode" = nocache ] && opt="-no-block-cache"
if [ -n "$src" ]; then
	opt="$opt $(head -n 10 "$src" | sed -n 's/^; vmxsim-options: *//p' | head -n 1)"
fi
timeout 60 "$sim" $opt -kernel "$kernel" -serial "file:$out" -display none
rc=$?
cat "$out"
plan=$(sed -n 's/^1\.\.\([0-9][0-9]*\).*/\1/p' "$out" | head -n 1)
oks=$(grep -c '^ok ' "$out")
bad=$(grep -c '^not ok ' "$out")
if [ -z "$plan" ]; then echo "no TAP plan"; exit 1; fi
if [ "$bad" -ne 0 ]; then echo "$bad not ok"; exit 1; fi
if [ "$oks" -ne "$plan" ]; then echo "$oks ok of a plan of $plan"; exit 1; fi
if [ "$rc" -ne 1 ]; then echo "exit status $rc, expected 1"; exit 1; fi
exit 0
