/* The code cache: lookup by physical address and code size, code-page
 * marking, and dropping exactly the blocks a write overlaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cpu/block.h"
#include "cpu/blockcache.h"

static struct block *add(struct code_cache *cc, uint64_t pa, uint32_t bytes,
			 unsigned code_size)
{
	struct block *b = block_alloc(1);
	assert_non_null(b);
	b->pa = pa;
	b->bytes = bytes;
	b->n = 1;
	b->code_size = (uint8_t)code_size;
	code_cache_insert(cc, b);
	return b;
}

static void test_find_by_address_and_code_size(void **state)
{
	(void)state;
	struct code_cache *cc = code_cache_create(1 << 20);
	struct block *b32 = add(cc, 0x1000, 10, 4);
	struct block *b16 = add(cc, 0x1000, 8, 2);
	assert_ptr_equal(code_cache_find(cc, 0x1000, 4), b32);
	assert_ptr_equal(code_cache_find(cc, 0x1000, 2), b16);
	assert_null(code_cache_find(cc, 0x1000, 8));
	assert_null(code_cache_find(cc, 0x1001, 4));
	code_cache_destroy(cc);
}

static void test_code_pages_are_marked(void **state)
{
	(void)state;
	struct code_cache *cc = code_cache_create(1 << 20);
	assert_false(code_cache_is_code_page(cc, 0x5000));
	add(cc, 0x5ff0, 16, 4);
	assert_true(code_cache_is_code_page(cc, 0x5000));
	assert_true(code_cache_is_code_page(cc, 0x5abc));
	assert_false(code_cache_is_code_page(cc, 0x6000));
	assert_false(code_cache_is_code_page(cc, 0x4fff));
	code_cache_destroy(cc);
}

static void test_write_drops_only_overlapping_blocks(void **state)
{
	(void)state;
	struct code_cache *cc = code_cache_create(1 << 20);
	add(cc, 0x2000, 0x10, 4);   /* 0x2000..0x200f */
	add(cc, 0x2010, 0x10, 4);   /* 0x2010..0x201f */
	add(cc, 0x2100, 0x20, 4);
	/* A write of 4 bytes at 0x200e touches the first two blocks only. */
	assert_true(code_cache_drop_range(cc, 0x200e, 4));
	assert_null(code_cache_find(cc, 0x2000, 4));
	assert_null(code_cache_find(cc, 0x2010, 4));
	assert_non_null(code_cache_find(cc, 0x2100, 4));
	/* A write next to a block but not into it drops nothing. */
	assert_false(code_cache_drop_range(cc, 0x2120, 8));
	assert_false(code_cache_drop_range(cc, 0x20f0, 0x10));
	assert_true(code_cache_is_code_page(cc, 0x2000));
	/* Once the last block goes, the page is plain data again. */
	assert_true(code_cache_drop_range(cc, 0x211f, 1));
	assert_false(code_cache_is_code_page(cc, 0x2000));
	code_cache_free_dropped(cc);
	code_cache_destroy(cc);
}

static void test_pages_beyond_ram_are_not_tracked(void **state)
{
	(void)state;
	struct code_cache *cc = code_cache_create(1 << 20);
	assert_true(code_cache_tracks(cc, 0xff000));
	assert_false(code_cache_tracks(cc, 0x100000));
	assert_false(code_cache_is_code_page(cc, 0xfee00000));
	assert_false(code_cache_drop_range(cc, 0xfffff000, 0x2000));
	code_cache_destroy(cc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_by_address_and_code_size),
		cmocka_unit_test(test_code_pages_are_marked),
		cmocka_unit_test(test_write_drops_only_overlapping_blocks),
		cmocka_unit_test(test_pages_beyond_ram_are_not_tracked),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
