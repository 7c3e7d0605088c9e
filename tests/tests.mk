# Test targets. Every test is discovered by its place in the tree:
#   tests/unit/test_*.c    cmocka unit tests, one per module
#   tests/diff/*.c         differential tests (host CPU, Zydis); run with
#                          no arguments they do the CI-sized run; each
#                          links the shared objects of tests/diff/lib/
#   roms/tests/*.asm       guest kernels (TAP over COM1), run with and
#                          without the block cache
#   tests/cli/*.sh         command-line behaviour (bad input and such)
#   tests/lint/*.sh        checks on the source tree (layering)
#   tests/linux/boot.sh    Debian's kernel on 2 and 4 CPUs (linux.mk)
# Results are collected in $(RESULTS); the last line says
# "N passed, N failed".

RESULTS := $(CURDIR)/build/test-results
HARNESS = sh tests/harness.sh $(RESULTS)
DIFF_SRC := $(wildcard tests/diff/*.c)
DIFF_BIN := $(DIFF_SRC:tests/diff/%.c=$(BUILD)/tests/%)
DIFF_LIB_SRC := $(wildcard tests/diff/lib/*.c)
DIFF_LIB_OBJ := $(DIFF_LIB_SRC:%.c=$(BUILD)/obj/%.o)
# Kept between builds (make would delete them as intermediate files).
.SECONDARY: $(DIFF_LIB_OBJ)
# Name prefix for results of the sanitizer pass.
TEST_PREFIX ?=

$(BUILD)/tests/%: tests/diff/%.c $(DIFF_LIB_OBJ) $(LIB) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(DIFF_LIB_OBJ) $(LINK_LIB) $(LDFLAGS) \
		-lZydis $(LIBS)

test: all
	@rm -rf $(RESULTS) $(RESULTS).d
	@$(MAKE) --no-print-directory test-unit test-guest test-cli test-diff test-lint \
		test-linux
	@$(MAKE) --no-print-directory SAN=1 TEST_PREFIX=san/ test-unit test-guest test-fuzz
	@sh tests/summary.sh $(RESULTS)

test-unit: $(UNIT_BIN)
	@echo "== unit tests $(TEST_PREFIX)"
	@for t in $(UNIT_BIN); do \
		$(HARNESS) $(TEST_PREFIX)unit/$${t##*/} $$t; done

test-guest: $(BIN) roms
	@echo "== guest tests $(TEST_PREFIX)"
	@for r in $(ROM_TESTS); do n=$${r##*/}; n=$${n%.elf}; \
		for m in cache nocache; do \
		$(HARNESS) $(TEST_PREFIX)guest/$$n/$$m \
			sh tests/guest/run.sh $(BIN) $$r $$m \
			roms/tests/$$n.asm; done; done

test-cli: $(BIN) roms
	@echo "== command-line tests $(TEST_PREFIX)"
	@for t in tests/cli/*.sh; do [ -f "$$t" ] || continue; \
		n=$${t##*/}; $(HARNESS) $(TEST_PREFIX)cli/$${n%.sh} \
			sh $$t $(BIN); done

test-diff: $(DIFF_BIN)
	@echo "== differential tests $(TEST_PREFIX)"
	@for t in $(DIFF_BIN); do \
		$(HARNESS) $(TEST_PREFIX)diff/$${t##*/} $$t; done

test-lint:
	@echo "== source checks"
	@for t in tests/lint/*.sh; do n=$${t##*/}; \
		$(HARNESS) lint/$${n%.sh} sh $$t; done

# Every instruction of every ELF file's .text, not just the CI sample.
decode-all: $(BUILD)/tests/decode_oracle
	$(BUILD)/tests/decode_oracle --all

# The x87 transcendental test's references: exact results rounded in each
# rounding mode, computed with mpmath (Debian's python3-mpmath, which
# scripts/deps.sh installs) when the test is built.
FP_TRANS_REF := $(BUILD)/gen/fp_trans_ref.inc
FP_TRANS_REF_CASES ?= 2500
$(FP_TRANS_REF): tests/unit/fp_trans_ref.py | deps
	@mkdir -p $(dir $@)
	/usr/bin/python3 $< $@.tmp $(FP_TRANS_REF_CASES) && mv $@.tmp $@
$(BUILD)/tests/test_fp_trans: $(FP_TRANS_REF)
$(BUILD)/tests/test_fp_trans: CFLAGS += -I$(BUILD)/gen
