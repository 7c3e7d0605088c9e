#!/bin/sh
# Makes the Linux guest for direct-boot runs, from Debian's own packages,
# without installing them on the host:
#   build/linux/vmlinuz          the bzImage of the kernel package that
#                                linux-image-amd64 depends on
#   build/linux/initrd.cpio.gz   busybox-static and an /init that prints
#                                the CPU counts and powers off
# The .deb files are kept in build/linux/debs, so a second run fetches
# nothing. The archive is written by this script (newc format, fixed
# owners and times), so it is the same bytes on every host.
#
# /init prints, on the console:
#   init: start
#   init: nproc=N                  what `nproc` says
#   init: cpuinfo=N                "processor" lines in /proc/cpuinfo
#   init: poweroff
# and then runs `poweroff -f`; or, with vmxsim.shell on the kernel command
# line, "init: shell" and then a busybox shell on the console.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/build/linux
debs=$out/debs
stage=$out/stage

say() {
	echo "linux-guest: $*" >&2
}

die() {
	say "$*"
	exit 1
}

command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
	die "needs apt-get and dpkg-deb (a Debian host)"

# The versioned kernel package behind the linux-image-amd64 metapackage,
# e.g. linux-image-6.1.0-40-amd64. An empty answer means the package
# lists were never fetched.
kernel_package() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*-amd64\)$/\1/p' |
		head -n 1
}

kpkg=$(kernel_package)
if [ -z "$kpkg" ]; then
	[ "$(id -u)" -eq 0 ] ||
		die "apt knows no linux-image-amd64; run: sudo apt-get update"
	say "apt-get update"
	apt-get update -qq >/dev/null
	kpkg=$(kernel_package)
	[ -n "$kpkg" ] || die "linux-image-amd64 depends on no linux-image-*-amd64"
fi

# As root, apt would hand the download to its sandbox user, who cannot
# write to build/; download as root instead (and without the warning).
apt_opts=
[ "$(id -u)" -eq 0 ] && apt_opts="-o APT::Sandbox::User=root"

# fetch PACKAGE: the newest .deb of PACKAGE in $debs, downloaded once.
fetch() {
	found=$(ls "$debs/$1"_*.deb 2>/dev/null | tail -n 1 || true)
	if [ -z "$found" ]; then
		say "downloading $1"
		(cd "$debs" && apt-get download -q $apt_opts "$1" >/dev/null) ||
			die "apt-get download $1 failed"
		found=$(ls "$debs/$1"_*.deb 2>/dev/null | tail -n 1 || true)
		[ -n "$found" ] || die "apt-get download $1 left no .deb"
	fi
	echo "$found"
}

mkdir -p "$debs"
kdeb=$(fetch "$kpkg")
bdeb=$(fetch busybox-static)

# unpack DEB MEMBER DEST: one file of a package's data (dpkg-deb's file
# system tar, as `dpkg-deb -x` would unpack it, but only the member
# needed: the kernel package's modules are hundreds of MiB).
unpack() {
	tmp=$out/unpack
	rm -rf "$tmp"
	mkdir -p "$tmp"
	dpkg-deb --fsys-tarfile "$1" | tar -xf - -C "$tmp" --wildcards "$2" ||
		die "cannot unpack $2 from $1"
	# shellcheck disable=SC2086
	set -- $tmp/$2 "$3"
	[ -f "$1" ] || die "no $1 in the package"
	cp "$1" "$2"
	rm -rf "$tmp"
}

if [ ! -s "$out/vmlinuz" ] || [ "$kdeb" -nt "$out/vmlinuz" ]; then
	unpack "$kdeb" './boot/vmlinuz-*' "$out/vmlinuz.tmp"
	mv "$out/vmlinuz.tmp" "$out/vmlinuz"
	say "kernel: $(basename "$kdeb") -> build/linux/vmlinuz"
fi
if [ ! -s "$out/busybox" ] || [ "$bdeb" -nt "$out/busybox" ]; then
	unpack "$bdeb" './bin/busybox' "$out/busybox.tmp"
	mv "$out/busybox.tmp" "$out/busybox"
fi

# --- The initramfs. ---

rm -rf "$stage"
mkdir -p "$stage"
cat >"$stage/init" <<'EOF'
#!/bin/busybox sh
# vmxsim's test init: report the CPUs, then power off; with vmxsim.shell
# on the kernel command line, run a shell on the console instead.
bb=/bin/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
echo "init: start"
echo "init: nproc=$($bb nproc)"
echo "init: cpuinfo=$($bb grep -c '^processor' /proc/cpuinfo)"
if $bb grep -q vmxsim.shell /proc/cmdline; then
	# The applets as commands (ls, cat, poweroff) for the user.
	$bb --install -s /bin
	echo "init: shell"
	exec $bb sh
fi
echo "init: poweroff"
exec $bb poweroff -f
EOF

# newc ("070701") archive, as the kernel's initramfs unpacker reads it
# (Documentation/driver-api/early-userspace/buffer-format.rst): a header
# of 13 eight-digit hexadecimal fields, the name with its NUL, padding to
# four bytes, the data, padding to four bytes; a "TRAILER!!!" entry ends
# it. Owners are root and every time is 0, so the archive depends only
# on its contents.
ino=0
cpio_pad() {
	n=$(( (4 - $1 % 4) % 4 ))
	[ "$n" -eq 0 ] || head -c "$n" /dev/zero
}

# cpio_entry NAME MODE SIZE [RDEV_MAJOR RDEV_MINOR]: the header and name.
cpio_entry() {
	ino=$((ino + 1))
	namesize=$(( ${#1} + 1 ))
	nlink=1
	[ $(( $2 & 0170000 )) -eq $((0040000)) ] && nlink=2
	printf '070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X' \
		"$ino" "$2" 0 0 "$nlink" 0 "$3" 0 0 "${4:-0}" "${5:-0}" \
		"$namesize" 0
	printf '%s\000' "$1"
	cpio_pad $((110 + namesize))
}

cpio_dir() {
	cpio_entry "$1" $((0040755)) 0
}

cpio_file() { # NAME MODE HOST-FILE
	size=$(wc -c <"$3")
	cpio_entry "$1" $((0100000 | $2)) "$size"
	cat "$3"
	cpio_pad "$size"
}

cpio_chardev() { # NAME MAJOR MINOR
	cpio_entry "$1" $((0020600)) 0 "$2" "$3"
}

{
	for d in bin dev proc sys; do
		cpio_dir "$d"
	done
	# The kernel opens /dev/console for init's standard streams before
	# any file system is mounted, so the node must be in the archive.
	cpio_chardev dev/console 5 1
	cpio_file bin/busybox $((0755)) "$out/busybox"
	cpio_file init $((0755)) "$stage/init"
	ino=-1
	cpio_entry 'TRAILER!!!' 0 0
} >"$out/initrd.cpio"
gzip -n -9 -c "$out/initrd.cpio" >"$out/initrd.cpio.gz.tmp"
mv "$out/initrd.cpio.gz.tmp" "$out/initrd.cpio.gz"
rm -rf "$stage" "$out/initrd.cpio"
say "initramfs: build/linux/initrd.cpio.gz ($(wc -c <"$out/initrd.cpio.gz") bytes)"
