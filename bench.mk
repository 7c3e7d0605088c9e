# `make bench`: guest MIPS of vmxsim against QEMU TCG on roms/bench/*.asm
# guests (scripts/bench.sh): int (integer) and fpsimd (SSE matrix
# multiplies and string search), whose MIPS are printed side by side at
# the end. BENCH_RUNS sets the runs of each simulator.
BENCH_BUILD := build/roms/bench
BENCH_ROMS := $(patsubst roms/bench/%.asm,$(BENCH_BUILD)/%.elf,\
	$(wildcard roms/bench/*.asm))
BENCH_RUNS ?= 5
# Linux boots take tens of seconds each.
BENCH_LINUX_RUNS ?= 3
# Test kernels are one read-write-execute segment by design.
BENCH_LDFLAGS := $(shell ld --help 2>/dev/null | grep -q no-warn-rwx && \
	echo --no-warn-rwx-segments)

.PHONY: bench bench-roms
bench-roms: $(BENCH_ROMS)

# The bench guests are self-contained: they include roms/bench/lib.inc,
# nothing of roms/lib.
$(BENCH_BUILD)/%.elf: roms/bench/%.asm roms/bench/lib.inc roms/lib/link.ld | deps
	@mkdir -p $(BENCH_BUILD)
	nasm -f elf32 -I roms/bench/ -o $(BENCH_BUILD)/$*.o $<
	ld -m elf_i386 -nostdlib $(BENCH_LDFLAGS) -T roms/lib/link.ld -o $@ $(BENCH_BUILD)/$*.o

bench: all bench-roms linux-guest
	@sh scripts/deps.sh qemu-system-x86 || \
		echo "bench: cannot install QEMU; measuring vmxsim only"
	sh scripts/bench.sh $(BIN) $(BENCH_BUILD)/int.elf $(BENCH_RUNS) \
		>$(BENCH_BUILD)/int.txt; st=$$?; cat $(BENCH_BUILD)/int.txt; \
		exit $$st
	BENCH_QEMU_ARGS="-cpu max" sh scripts/bench.sh $(BIN) \
		$(BENCH_BUILD)/fpsimd.elf $(BENCH_RUNS) >$(BENCH_BUILD)/fpsimd.txt; \
		st=$$?; cat $(BENCH_BUILD)/fpsimd.txt; exit $$st
	sh scripts/bench-linux.sh $(BIN) build/linux/vmlinuz \
		build/linux/initrd.cpio.gz $(BENCH_LINUX_RUNS) \
		>$(BENCH_BUILD)/linux.txt; st=$$?; cat $(BENCH_BUILD)/linux.txt; \
		exit $$st
	@echo "== guest MIPS, integer and floating-point/SIMD workloads;" \
		"Linux boot to /init"
	@grep -h '^SUMMARY:' $(BENCH_BUILD)/int.txt $(BENCH_BUILD)/fpsimd.txt \
		$(BENCH_BUILD)/linux.txt
