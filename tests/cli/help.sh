#!/bin/sh
# -h and --help print usage on stdout and exit 0, whatever else is given.
. "$(dirname "$0")/lib/common.sh"
for h in -h --help -help; do
	run_sim $h
	[ "$rc" -eq 0 ] || fail "$h: exit status $rc"
	grep -q '^usage: vmxsim -kernel FILE' "$out" || fail "$h: no usage line"
	for o in -kernel -append -initrd -m -serial -display -no-block-cache \
		-d -icount-report; do
		grep -q -- "^  $o" "$out" || fail "$h: $o not described"
	done
	[ -s "$err" ] && fail "$h: wrote to stderr"
done
echo PASS
