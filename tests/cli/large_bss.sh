#!/bin/sh
# A kernel's bss is zero without costing the host memory: guest RAM
# starts zero, so the loader writes no page that already reads as zero.
# A raw multiboot image whose bss_end_addr asks for 2.5 GiB of bss in a
# 3-GiB guest prints "ready" once it runs (so the load is over) and
# spins; the simulator's peak resident memory then stays far below the
# bss. It used to clear every byte: 2.5 GiB of host memory, and seconds.
. "$(dirname "$0")/lib/common.sh"
[ -r /proc/self/status ] || { echo "SKIP: no /proc"; exit 0; }
cat >"$dir/bss.asm" <<'ASM'
	bits 32
	org 0x100000
hdr:	dd 0x1badb002
	dd 0x10000
	dd -(0x1badb002 + 0x10000)
	dd hdr                          ; header_addr
	dd hdr                          ; load_addr
	dd end                          ; load_end_addr
	dd 0xa0100000                   ; bss_end_addr: 2.5 GiB of bss
	dd start                        ; entry_addr
start:	mov esi, msg
.next:	lodsb
	test al, al
	jz .spin
	mov dx, 0x3f8
	out dx, al
	jmp .next
.spin:	jmp .spin
msg:	db "ready", 10, 0
end:
ASM
nasm -f bin -o "$dir/bss.bin" "$dir/bss.asm" || fail "nasm"
echo "+ vmxsim -kernel $dir/bss.bin -m 3G -serial stdio &"
"$sim" -kernel "$dir/bss.bin" -m 3G -serial stdio >"$out" 2>"$err" &
pid=$!
i=0
while ! grep -q ready "$out" 2>/dev/null; do
	kill -0 $pid 2>/dev/null || fail "vmxsim exited before the kernel ran"
	i=$((i + 1))
	[ $i -le 600 ] || { kill $pid; fail "the kernel did not run in 60 s"; }
	sleep 0.1
done
hwm=$(awk '/^VmHWM:/ { print $2 }' /proc/$pid/status)
kill $pid
wait $pid 2>/dev/null
echo "peak resident memory: $hwm kB"
[ -n "$hwm" ] || fail "cannot read VmHWM"
[ "$hwm" -lt 1000000 ] || fail "peak resident memory $hwm kB for a 2.5 GiB bss"
echo PASS
