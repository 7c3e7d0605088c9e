# vmxsim top-level build.
#   make         build build/vmxsim
#   make run     boot the bundled demo guest
#   make test    build and run every test
#   make bench   guest MIPS against QEMU TCG
# SAN=1 builds with AddressSanitizer and UndefinedBehaviorSanitizer into
# build/san instead of build.

SAN ?= 0
ifeq ($(SAN),1)
BUILD ?= build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT ?= -O1 -g
else
BUILD ?= build
SANFLAGS :=
OPT ?= -O2 -g
endif

CC ?= cc
PKGS := sdl2 readline lua5.4 cmocka
CFLAGS := -std=gnu11 $(OPT) -Wall -Wextra -Werror -I. $(SANFLAGS) \
	-fno-strict-aliasing -MMD -MP
LDFLAGS := $(SANFLAGS)
LUA_CFLAGS = $(shell pkg-config --cflags lua5.4 2>/dev/null)
LUA_LIBS = $(shell pkg-config --libs lua5.4 2>/dev/null)

# Everything but main() goes into a library that tests link against.
LIB_DIRS := util cpu vmx platform scripting frontend
LIB_SRC := $(filter-out frontend/main.c,$(foreach d,$(LIB_DIRS),$(wildcard $(d)/*.c)))
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
LIB := $(BUILD)/libvmxsim.a
BIN := $(BUILD)/vmxsim
LIBS := -lm
# Whole archive: the instruction groups define strong impl_<id> tables that
# nothing references by name but the weak defaults in cpu/insn_table.c.
LINK_LIB = -Wl,--whole-archive $(LIB) -Wl,--no-whole-archive

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: all deps run test bench clean test-unit test-diff test-guest \
	test-cli test-lint decode-all
all: deps $(BIN)

# Installs missing Debian packages (or says how); cheap when all is there.
deps:
	@sh scripts/deps.sh

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/frontend/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $< $(LINK_LIB) $(LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LINK_LIB) $(LDFLAGS) -lcmocka $(LIBS)

include roms/roms.mk
include tests/tests.mk
include tests/fuzz/fuzz.mk
-include bench.mk
-include linux.mk

# The demo ends through the debug-exit port with 0, which is status 1.
run: all roms
	$(BIN) -kernel $(ROM_BUILD)/demo/hello.elf -serial stdio -display none \
		|| [ $$? -eq 1 ]

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null)
