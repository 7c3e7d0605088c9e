#!/bin/sh
# -info-devices lists the port and MMIO ranges, one per line in address
# order, and exits 0 without needing a kernel.
. "$(dirname "$0")/lib/common.sh"
run_sim -info-devices
[ "$rc" -eq 0 ] || fail "exit status $rc"
[ -s "$err" ] && fail "wrote to stderr"
for r in "port 0x00000020-0x00000021 .* pic-master" \
	 "port 0x00000040-0x00000043 .* pit" \
	 "port 0x00000070-0x00000071 .* rtc" \
	 "port 0x000000a0-0x000000a1 .* pic-slave" \
	 "port 0x000002f8-0x000002ff .* com2" \
	 "port 0x000003f8-0x000003ff .* com1" \
	 "port 0x000004d0-0x000004d1 .* elcr" \
	 "port 0x00000510-0x00000511 .* fw_cfg" \
	 "port 0x00000cfc-0x00000cff .* pci-config-data" \
	 "port 0x00002000-0x00002017 .* pc-testdev-irq" \
	 "port 0x0000b008-0x0000b00b .* acpi-pm-tmr" \
	 "mmio 0xff000000-0xff00ffff .* pc-testdev-ram"; do
	grep -q "^$r\$" "$out" || fail "no line /$r/"
done
# Address order within each space.
grep '^port' "$out" | sort -c || fail "ports not in order"
# The same with a kernel and options: nothing runs.
build_kernel hello
run_sim -info-devices -kernel "$dir/hello.elf" -smp 2
[ "$rc" -eq 0 ] || fail "with a kernel: exit status $rc"
grep -q "^hi" "$out" && fail "the kernel ran"
echo PASS
