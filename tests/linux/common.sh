# Sourced by the Linux guest tests after they set $what (the name their
# messages start with), $kernel_arg and $initrd_arg (the optional
# arguments, possibly empty). Sets $root, $kernel, $initrd, $limit (the
# run's bound in seconds: LINUX_TIMEOUT, default 1800) and $bad; fail()
# records a failure; a missing kernel or initrd ends the test at once.
root=$(cd "$(dirname "$0")/../.." && pwd)
kernel=${kernel_arg:-$root/build/linux/vmlinuz}
initrd=${initrd_arg:-$root/build/linux/initrd.cpio.gz}
limit=${LINUX_TIMEOUT:-1800}
bad=0

fail() {
	echo "$what: $*"
	bad=1
}

if [ ! -f "$kernel" ] || [ ! -f "$initrd" ]; then
	echo "$what: no $kernel or $initrd; run scripts/linux-guest.sh"
	exit 1
fi
