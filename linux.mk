# Direct Linux boot of Debian's kernel:
#   make linux-guest   fetch the kernel, build the busybox initramfs
#   make linux-boot    boot it with -smp 2 and -smp 4; /init must see the
#                      CPUs and power off (tests/linux/boot.sh)
#   make linux-shell   boot it to a shell on the serial console, typed
#                      into from this terminal (`poweroff -f` or Ctrl-C
#                      ends it)
#   make test-linux    linux-boot, and a shell fed from a file
#                      (tests/linux/shell.sh), as part of `make test`
LINUX_DIR := build/linux
LINUX_GUEST := $(LINUX_DIR)/vmlinuz $(LINUX_DIR)/initrd.cpio.gz

.PHONY: linux-guest linux-boot linux-shell test-linux
linux-guest: $(LINUX_GUEST)

# One run of the script makes both files; it fetches nothing it has.
$(LINUX_GUEST) &: scripts/linux-guest.sh
	sh scripts/linux-guest.sh
	@touch $(LINUX_GUEST)

linux-boot: $(BIN) $(LINUX_GUEST)
	@st=0; for n in 2 4; do \
		sh tests/linux/boot.sh $(BIN) $$n || st=1; done; exit $$st

test-linux: $(BIN) $(LINUX_GUEST)
	@echo "== Linux guest $(TEST_PREFIX)"
	@for n in 2 4; do \
		$(HARNESS) $(TEST_PREFIX)linux/smp$$n \
			sh tests/linux/boot.sh $(BIN) $$n; done
	@$(HARNESS) $(TEST_PREFIX)linux/shell sh tests/linux/shell.sh $(BIN)

linux-shell: $(BIN) $(LINUX_GUEST)
	$(BIN) -smp 2 -m 512M -kernel $(LINUX_DIR)/vmlinuz \
		-initrd $(LINUX_DIR)/initrd.cpio.gz \
		-append "console=ttyS0 vmxsim.shell" -display none
