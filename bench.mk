# `make bench`: guest MIPS of vmxsim against QEMU TCG on roms/bench/*.asm
# guests (scripts/bench.sh). BENCH_RUNS sets the runs of each simulator.
BENCH_BUILD := build/roms/bench
BENCH_ROMS := $(patsubst roms/bench/%.asm,$(BENCH_BUILD)/%.elf,\
	$(wildcard roms/bench/*.asm))
BENCH_RUNS ?= 5
# Test kernels are one read-write-execute segment by design.
BENCH_LDFLAGS := $(shell ld --help 2>/dev/null | grep -q no-warn-rwx && \
	echo --no-warn-rwx-segments)

.PHONY: bench bench-roms
bench-roms: $(BENCH_ROMS)

# The bench guests are self-contained: no roms/lib includes.
$(BENCH_BUILD)/%.elf: roms/bench/%.asm roms/lib/link.ld | deps
	@mkdir -p $(BENCH_BUILD)
	nasm -f elf32 -o $(BENCH_BUILD)/$*.o $<
	ld -m elf_i386 -nostdlib $(BENCH_LDFLAGS) -T roms/lib/link.ld -o $@ $(BENCH_BUILD)/$*.o

bench: all bench-roms
	@sh scripts/deps.sh qemu-system-x86 || \
		echo "bench: cannot install QEMU; measuring vmxsim only"
	sh scripts/bench.sh $(BIN) $(BENCH_BUILD)/int.elf $(BENCH_RUNS)
