# Sourced by the command-line tests (tests/cli/*.sh). Each test gets the
# vmxsim binary as $1 and works in a fresh temporary directory.
#   run_sim ARGS...              run vmxsim; sets $rc, output in $out/$err
#   expect_bad_input RE ARGS...  status 1 and exactly one stderr line
#                                "vmxsim: ..." matching RE (grep -Ei)
#   build_kernel NAME            tests/cli/lib/NAME.asm -> $dir/NAME.elf
#   build_elf NAME NASM-ARGS...  lib/elf32.asm with -D overrides
#   fail MESSAGE                 end the test as failed
#   run_qemu ARGS...             QEMU as the oracle, if installed (TCG,
#                                no display, -no-reboot, isa-debug-exit
#                                at 0xf4): sets $qrc; false without QEMU

set -u
sim=$1
# Tests may cd into their directory: make a relative path absolute.
case $sim in
/*) ;;
*/*) sim=$(pwd)/$sim ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
lib=$here/lib
root=$(cd "$here/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$dir/stdout
err=$dir/stderr
rc=0

fail() {
	echo "FAIL: $*"
	echo "--- stdout"
	cat "$out" 2>/dev/null
	echo "--- stderr"
	cat "$err" 2>/dev/null
	exit 1
}

run_sim() {
	echo "+ vmxsim $*"
	timeout 60 "$sim" "$@" >"$out" 2>"$err"
	rc=$?
}

expect_bad_input() {
	re=$1
	shift
	run_sim "$@"
	[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
	lines=$(wc -l <"$err")
	[ "$lines" -eq 1 ] || fail "$lines lines on stderr, expected 1"
	grep -q '^vmxsim: ' "$err" || fail "stderr does not start with 'vmxsim: '"
	grep -Eqi -- "$re" "$err" || fail "stderr does not match /$re/"
	echo "ok: $(cat "$err")"
}

# Test kernels are one read-write-execute segment by design.
ldflags=""
ld --help 2>/dev/null | grep -q no-warn-rwx && ldflags=--no-warn-rwx-segments

build_kernel() {
	nasm -f elf32 -I "$lib/" -o "$dir/$1.o" "$lib/$1.asm" ||
		fail "cannot assemble $1.asm"
	ld -m elf_i386 -nostdlib $ldflags -T "$root/roms/lib/link.ld" \
		-o "$dir/$1.elf" "$dir/$1.o" || fail "cannot link $1.elf"
}

build_elf() {
	name=$1
	shift
	nasm -f bin "$@" -o "$dir/$name" "$lib/elf32.asm" ||
		fail "cannot assemble $name"
}

run_qemu() {
	command -v qemu-system-x86_64 >/dev/null 2>&1 || return 1
	timeout 60 qemu-system-x86_64 -accel tcg -display none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 "$@" \
		>/dev/null 2>&1
	qrc=$?
}
