/* The instruction-form table: every form of cpu/insn.def has handlers, so
 * that no decodable instruction falls back to "not implemented". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "cpu/insn.h"

static const char *const form_ids[INSN_COUNT] = {
#define INSN(id, mnemonic, flags) #id,
#include "cpu/insn.def"
#undef INSN
};

static int has_handler(const struct insn_impl *impl)
{
	for (int w = 0; w < 4; w++)
		for (int f = 0; f < 2; f++)
			if (impl->fn[w][f])
				return 1;
	return 0;
}

static void test_every_form_has_a_handler(void **state)
{
	(void)state;
	int missing = 0;
	for (int id = 0; id < INSN_COUNT; id++) {
		if (id == INSN_INVALID)
			continue;
		if (!has_handler(insn_impls[id])) {
			printf("form %s has no handler\n", form_ids[id]);
			missing++;
		}
	}
	assert_int_equal(missing, 0);
}

static void test_invalid_form_has_none(void **state)
{
	(void)state;
	assert_false(has_handler(insn_impls[INSN_INVALID]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_form_has_a_handler),
		cmocka_unit_test(test_invalid_form_has_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
