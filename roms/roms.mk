# Guest code built from source: demo guests and test kernels.
# Each roms/tests/NAME.asm (and roms/demo/NAME.asm) is one multiboot ELF32
# kernel; roms/lib/ holds the include files they share.
ROM_BUILD := build/roms
NASM := nasm
ROM_LIB := $(wildcard roms/lib/*.inc)

ROM_TEST_SRC := $(wildcard roms/tests/*.asm)
ROM_TESTS := $(ROM_TEST_SRC:roms/tests/%.asm=$(ROM_BUILD)/tests/%.elf)
ROM_DEMO_SRC := $(wildcard roms/demo/*.asm)
ROM_DEMOS := $(ROM_DEMO_SRC:roms/demo/%.asm=$(ROM_BUILD)/demo/%.elf)

.PHONY: roms
roms: $(ROM_TESTS) $(ROM_DEMOS)

$(ROM_BUILD)/%.o: roms/%.asm $(ROM_LIB) | deps
	@mkdir -p $(dir $@)
	$(NASM) -f elf32 -I roms/lib/ -o $@ $<

$(ROM_BUILD)/%.elf: $(ROM_BUILD)/%.o roms/lib/link.ld
	ld -m elf_i386 -nostdlib -T roms/lib/link.ld -o $@ $<
