# Direct Linux boot of Debian's kernel (not part of `make test` yet):
#   make linux-guest   fetch the kernel, build the busybox initramfs
#   make linux-boot    boot it with -smp 2 and -smp 4; /init must see the
#                      CPUs and power off (tests/linux/boot.sh)
LINUX_DIR := build/linux
LINUX_GUEST := $(LINUX_DIR)/vmlinuz $(LINUX_DIR)/initrd.cpio.gz

.PHONY: linux-guest linux-boot
linux-guest: $(LINUX_GUEST)

# One run of the script makes both files; it fetches nothing it has.
$(LINUX_GUEST) &: scripts/linux-guest.sh
	sh scripts/linux-guest.sh
	@touch $(LINUX_GUEST)

linux-boot: $(BIN) $(LINUX_GUEST)
	@st=0; for n in 2 4; do \
		sh tests/linux/boot.sh $(BIN) $$n || st=1; done; exit $$st
