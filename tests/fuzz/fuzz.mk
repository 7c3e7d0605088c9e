# The fuzzers: host-side robustness against whatever a guest or a kernel
# file holds.
#   tests/fuzz/exec_fuzz.c  whole machines running random guest code must
#                           never crash, hang or leak in the host
#   tests/fuzz/load_fuzz.c  mutated kernels, initrds and command lines
#                           must load or be refused in one line
#   make test-fuzz   the sized runs; `make test` runs them under SAN=1
#   make fuzz        ten times as many seeds and cases, under SAN=1; more
#                    options through FUZZ_ARGS (e.g. FUZZ_ARGS='--first
#                    100000') and LOAD_FUZZ_ARGS
EXEC_FUZZ_SRC := tests/fuzz/exec_fuzz.c tests/fuzz/fuzz_guest.c \
	tests/fuzz/fuzz_code.c
EXEC_FUZZ_OBJ := $(EXEC_FUZZ_SRC:%.c=$(BUILD)/obj/%.o)
EXEC_FUZZ_BIN := $(BUILD)/tests/exec_fuzz
EXEC_FUZZ_LONG_SEEDS := 2500
LOAD_FUZZ_SRC := tests/fuzz/load_fuzz.c tests/fuzz/load_oracle.c \
	tests/fuzz/load_seeds.c
LOAD_FUZZ_OBJ := $(LOAD_FUZZ_SRC:%.c=$(BUILD)/obj/%.o)
LOAD_FUZZ_BIN := $(BUILD)/tests/load_fuzz
LOAD_FUZZ_LONG_CASES := 150000

.PHONY: fuzz fuzz-run test-fuzz

$(EXEC_FUZZ_BIN): $(EXEC_FUZZ_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(EXEC_FUZZ_OBJ) $(LINK_LIB) $(LIBS)

$(LOAD_FUZZ_BIN): $(LOAD_FUZZ_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(LOAD_FUZZ_OBJ) $(LINK_LIB) $(LIBS)

# load_fuzz also mutates the test kernels of build/roms when they exist.
test-fuzz: $(EXEC_FUZZ_BIN) $(LOAD_FUZZ_BIN) roms
	@echo "== fuzzers $(TEST_PREFIX)"
	@$(HARNESS) $(TEST_PREFIX)fuzz/exec_fuzz $(EXEC_FUZZ_BIN)
	@$(HARNESS) $(TEST_PREFIX)fuzz/load_fuzz $(LOAD_FUZZ_BIN)

fuzz:
	@$(MAKE) --no-print-directory SAN=1 fuzz-run

fuzz-run: $(EXEC_FUZZ_BIN) $(LOAD_FUZZ_BIN) roms
	$(EXEC_FUZZ_BIN) --seeds $(EXEC_FUZZ_LONG_SEEDS) $(FUZZ_ARGS)
	$(LOAD_FUZZ_BIN) --cases $(LOAD_FUZZ_LONG_CASES) $(LOAD_FUZZ_ARGS)
