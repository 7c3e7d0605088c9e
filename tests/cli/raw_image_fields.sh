#!/bin/sh
# A non-ELF kernel needs the multiboot address fields (flag 16), and
# those fields must describe bytes that are in the file. When they do,
# the image loads where they say and runs from entry_addr.
. "$(dirname "$0")/lib/common.sh"
cat >"$dir/raw.asm" <<'ASM'
	bits 32
	org 0x100000
hdr:	dd 0x1badb002
	dd FLAGS
	dd -(0x1badb002 + FLAGS)
	dd hdr                          ; header_addr
	dd LOAD                         ; load_addr
	dd LOAD_END                     ; load_end_addr
	dd 0                            ; bss_end_addr
	dd start                        ; entry_addr
start:	mov dx, 0xf4
	mov al, 0
	out dx, al
end:
ASM
nasm -f bin -DFLAGS=0 -DLOAD=hdr -DLOAD_END=end -o "$dir/noflag.bin" \
	"$dir/raw.asm" || fail "nasm"
expect_bad_input 'neither ELF nor has multiboot address fields' \
	-kernel "$dir/noflag.bin"
nasm -f bin -DFLAGS=0x10000 -DLOAD=hdr -DLOAD_END=end+0x1000 \
	-o "$dir/long.bin" "$dir/raw.asm" || fail "nasm"
expect_bad_input 'load range .* past the end of the file' \
	-kernel "$dir/long.bin"
nasm -f bin -DFLAGS=0x10000 -DLOAD=hdr+4 -DLOAD_END=end \
	-o "$dir/after.bin" "$dir/raw.asm" || fail "nasm"
expect_bad_input 'load_addr 0x100004 does not fit header_addr' \
	-kernel "$dir/after.bin"
nasm -f bin -DFLAGS=0x10000 -DLOAD=hdr -DLOAD_END=end -o "$dir/good.bin" \
	"$dir/raw.asm" || fail "nasm"
run_sim -kernel "$dir/good.bin" -serial none
[ "$rc" -eq 1 ] || fail "good raw image: exit status $rc, expected 1"
echo PASS
