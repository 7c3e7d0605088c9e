#!/bin/sh
# -cpu names a built-in model; -quantum is a number of instructions from 1
# to 10^9. Anything else is a one-line error, status 1.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
expect_bad_input "-cpu: unknown CPU model 'pentium9' \(known: default\)" \
	-cpu pentium9 -kernel "$dir/k.elf"
expect_bad_input "-cpu: unknown CPU model ''" -cpu "" -kernel "$dir/k.elf"
for q in 0 -5 1e6 abc "" 1000000001; do
	expect_bad_input "-quantum: '$q' is not a number of instructions" \
		-quantum "$q" -kernel "$dir/k.elf"
done
run_sim -cpu default -quantum 1 -kernel "$dir/k.elf" -serial none
[ "$rc" -eq 1 ] || fail "-cpu default -quantum 1: exit status $rc, expected 1"
echo PASS
