#!/bin/sh
# An option that takes an argument, given last without one.
. "$(dirname "$0")/lib/common.sh"
build_elf k.elf
for opt in -kernel -append -initrd -m -serial -display -d; do
	expect_bad_input "option '$opt' needs an argument" -kernel "$dir/k.elf" $opt
done
echo PASS
