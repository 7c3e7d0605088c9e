/* Page walks in every paging mode against the SDM (Vol. 3A chapter 4):
 * translations for every page size, accessed/dirty updates, reserved
 * bits, and the exact #PF error code and CR2 for each access-rights rule
 * (U/S, R/W with CR0.WP, XD, SMEP, SMAP, protection keys). Expected error
 * codes are written out by hand from the SDM's tables, case by case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/unit/env.h"
#include "cpu/regs.h"

#define DATA_PA 0x200000u  /* the 4-KiB data page of most cases */
#define MARKER 0x11223344u
#define OK (-1)

/* A model with NX, 1-GByte pages, long mode and MAXPHYADDR 46; every
 * test gets a fresh machine with it (env_setup()). */
static struct cpu_model paging_model = {
	.name = "paging-test",
	.n_cpuid = 3,
	.cpuid = {
		{ .leaf = 0x80000000u, .eax = 0x80000008u },
		{ .leaf = 0x80000001u,
		  .edx = (1u << 20) | (1u << 26) | (1u << 29) },
		{ .leaf = 0x80000008u, .eax = 0x302e },
	},
};

#define PAGING_TEST(f)                                                    \
	cmocka_unit_test_prestate_setup_teardown(f, env_setup, env_teardown, \
						 &paging_model)

enum kind { K_READ, K_WRITE, K_FETCH, K_IREAD, K_IWRITE };

#define WVAL 0xaabbccddu

static uint32_t access_run(struct cpu *c, enum kind k, uint64_t la)
{
	uint8_t b[4];
	uint32_t fetched;
	switch (k) {
	case K_READ:
		return (uint32_t)lin_read(c, la, 4, ACC_READ);
	case K_WRITE:
		lin_write(c, la, 4, WVAL, ACC_WRITE);
		break;
	case K_FETCH:
		mem_fetch(c, la, b, 4);
		memcpy(&fetched, b, 4);
		return fetched;
	case K_IREAD:
		return (uint32_t)lin_read(c, la, 4, ACC_IMPLICIT_SV);
	case K_IWRITE:
		lin_write(c, la, 4, WVAL, ACC_WRITE | ACC_IMPLICIT_SV);
		break;
	}
	return 0;
}

static struct env_access do_access(struct env *e, enum kind k, uint64_t la)
{
	return ENV_ACCESS(e->c, access_run(e->c, k, la));
}

/* A linear address per mode that uses every index field. */
static uint64_t mode_la(enum paging_mode m)
{
	switch (m) {
	case PAGING_4LEVEL: return 0x00007f8012c03120ull;
	case PAGING_5LEVEL: return 0x00f07f8012c03120ull;
	default: return 0xc0803120u;
	}
}

static const char *mode_str(enum paging_mode m)
{
	static const char *const n[] = { "off", "32-bit", "PAE", "4-level",
					 "5-level" };
	return n[m];
}

enum {
	M32 = 1u << PAGING_32,
	MPAE = 1u << PAGING_PAE,
	M4 = 1u << PAGING_4LEVEL,
	M5 = 1u << PAGING_5LEVEL,
	MALL = M32 | MPAE | M4 | M5,
	MNX = MPAE | M4 | M5,   /* modes with 8-byte entries and XD */
	M64 = M4 | M5,          /* IA-32e paging: protection keys */
};

#define P PTE_P
#define RW PTE_RW
#define US PTE_US
#define XD PTE_XD
#define PRU (P | RW | US)
#define KEY5 (5ull << 59)
#define WP CR0_WP
#define SMEP CR4_SMEP
#define SMAP CR4_SMAP
#define PKE CR4_PKE

/* Error codes: P 1, W/R 2, U/S 4, RSVD 8, I/D 0x10, PK 0x20. */
struct perm_case {
	const char *name;
	unsigned modes;
	uint64_t nonleaf, leaf;
	int cpl;
	enum kind kind;
	uint64_t cr0, cr4;
	bool nxe, ac;
	uint32_t pkru;
	int ec;
};

static const struct perm_case perm_cases[] = {
	/* Not present (SDM 4.7: P = 0). */
	{ "not present, supervisor read", MALL, PRU, RW | US, 0, K_READ, 0, 0, 0, 0, 0, 0x00 },
	{ "not present, user write", MALL, PRU, RW | US, 3, K_WRITE, 0, 0, 0, 0, 0, 0x06 },
	{ "not present, fetch with NXE", MNX, PRU, RW | US, 0, K_FETCH, 0, 0, 1, 0, 0, 0x10 },
	{ "not present, fetch with NXE in 32-bit paging (no I/D)", M32, PRU, RW | US, 0, K_FETCH, 0, 0, 1, 0, 0, 0x00 },
	{ "not present, fetch without NXE or SMEP (no I/D)", MALL, PRU, RW | US, 0, K_FETCH, 0, 0, 0, 0, 0, 0x00 },
	{ "not present, fetch with SMEP", MALL, PRU, RW | US, 0, K_FETCH, 0, SMEP, 0, 0, 0, 0x10 },
	/* U/S. */
	{ "user read of a supervisor page", MALL, PRU, P | RW, 3, K_READ, 0, 0, 0, 0, 0, 0x05 },
	{ "user read, U/S = 0 in a non-leaf entry", MALL, P | RW, PRU, 3, K_READ, 0, 0, 0, 0, 0, 0x05 },
	{ "supervisor read of a user page", MALL, PRU, PRU, 0, K_READ, 0, 0, 0, 0, 0, OK },
	{ "implicit read at CPL 3 of a supervisor page", MALL, PRU, P | RW, 3, K_IREAD, 0, 0, 0, 0, 0, OK },
	{ "user read of a user page", MALL, PRU, PRU, 3, K_READ, 0, 0, 0, 0, 0, OK },
	/* R/W and CR0.WP. */
	{ "user write to a read-only page", MALL, PRU, P | US, 3, K_WRITE, 0, 0, 0, 0, 0, 0x07 },
	{ "user write, R/W = 0 in a non-leaf entry", MALL, P | US, PRU, 3, K_WRITE, 0, 0, 0, 0, 0, 0x07 },
	{ "user write to a read-only page, WP = 0", MALL, PRU, P | US, 3, K_WRITE, 0, 0, 0, 0, 0, 0x07 },
	{ "user write to a writable user page", MALL, PRU, PRU, 3, K_WRITE, 0, 0, 0, 0, 0, OK },
	{ "supervisor write to a read-only page, WP = 0", MALL, PRU, P, 0, K_WRITE, 0, 0, 0, 0, 0, OK },
	{ "supervisor write to a read-only page, WP = 1", MALL, PRU, P, 0, K_WRITE, WP, 0, 0, 0, 0, 0x03 },
	{ "supervisor write, R/W = 0 in a non-leaf entry, WP = 1", MALL, P | US, PRU, 0, K_WRITE, WP, 0, 0, 0, 0, 0x03 },
	{ "supervisor write to a read-only user page, WP = 1", MALL, PRU, P | US, 0, K_WRITE, WP, 0, 0, 0, 0, 0x03 },
	{ "implicit write at CPL 3 to a read-only page, WP = 1", MALL, PRU, P | US, 3, K_IWRITE, WP, 0, 0, 0, 0, 0x03 },
	{ "implicit write at CPL 3 to a supervisor page", MALL, PRU, P | RW, 3, K_IWRITE, WP, 0, 0, 0, 0, OK },
	/* XD (EFER.NXE). */
	{ "fetch from an XD page", MNX, PRU, PRU | XD, 0, K_FETCH, 0, 0, 1, 0, 0, 0x11 },
	{ "user fetch, XD in a non-leaf entry", MNX, PRU | XD, PRU, 3, K_FETCH, 0, 0, 1, 0, 0, 0x15 },
	{ "read from an XD page", MNX, PRU, PRU | XD, 0, K_READ, 0, 0, 1, 0, 0, OK },
	{ "fetch from an executable page with NXE", MNX, PRU, PRU, 0, K_FETCH, 0, 0, 1, 0, 0, OK },
	{ "XD with NXE = 0 is a reserved bit", MNX, PRU, PRU | XD, 0, K_READ, 0, 0, 0, 0, 0, 0x09 },
	{ "user fetch from a supervisor page", MALL, PRU, P | RW, 3, K_FETCH, 0, 0, 0, 0, 0, 0x05 },
	{ "user fetch from a supervisor page with NXE", MNX, PRU, P | RW, 3, K_FETCH, 0, 0, 1, 0, 0, 0x15 },
	{ "user fetch from a supervisor page, NXE, 32-bit paging", M32, PRU, P | RW, 3, K_FETCH, 0, 0, 1, 0, 0, 0x05 },
	/* SMEP. */
	{ "SMEP: supervisor fetch from a user page", MALL, PRU, PRU, 0, K_FETCH, 0, SMEP, 0, 0, 0, 0x11 },
	{ "SMEP: U/S = 0 in a non-leaf entry makes a supervisor page", MALL, P | RW, PRU, 0, K_FETCH, 0, SMEP, 0, 0, 0, OK },
	{ "SMEP: supervisor read from a user page", MALL, PRU, PRU, 0, K_READ, 0, SMEP, 0, 0, 0, OK },
	{ "SMEP: user fetch from a user page", MALL, PRU, PRU, 3, K_FETCH, 0, SMEP, 0, 0, 0, OK },
	{ "SMEP off: supervisor fetch from a user page", MALL, PRU, PRU, 0, K_FETCH, 0, 0, 0, 0, 0, OK },
	/* SMAP. */
	{ "SMAP: supervisor read of a user page, AC = 0", MALL, PRU, PRU, 0, K_READ, 0, SMAP, 0, 0, 0, 0x01 },
	{ "SMAP: supervisor write to a user page, AC = 0", MALL, PRU, PRU, 0, K_WRITE, 0, SMAP, 0, 0, 0, 0x03 },
	{ "SMAP: supervisor read of a user page, AC = 1", MALL, PRU, PRU, 0, K_READ, 0, SMAP, 0, 1, 0, OK },
	{ "SMAP: supervisor write to a user page, AC = 1", MALL, PRU, PRU, 0, K_WRITE, 0, SMAP, 0, 1, 0, OK },
	{ "SMAP: implicit read of a user page at CPL 0, AC = 1", MALL, PRU, PRU, 0, K_IREAD, 0, SMAP, 0, 1, 0, 0x01 },
	{ "SMAP: implicit read of a user page at CPL 3", MALL, PRU, PRU, 3, K_IREAD, 0, SMAP, 0, 1, 0, 0x01 },
	{ "SMAP: implicit write to a user page at CPL 3", MALL, PRU, PRU, 3, K_IWRITE, 0, SMAP, 0, 1, 0, 0x03 },
	{ "SMAP: supervisor read of a supervisor page", MALL, PRU, P | RW, 0, K_READ, 0, SMAP, 0, 0, 0, OK },
	{ "SMAP: supervisor fetch from a user page", MALL, PRU, PRU, 0, K_FETCH, 0, SMAP, 0, 0, 0, OK },
	{ "SMAP: user read of a user page", MALL, PRU, PRU, 3, K_READ, 0, SMAP, 0, 0, 0, OK },
	{ "SMAP, AC = 1: write to a read-only user page, WP = 1", MALL, PRU, P | US, 0, K_WRITE, WP, SMAP, 0, 1, 0, 0x03 },
	{ "SMAP off: supervisor read of a user page, AC = 0", MALL, PRU, PRU, 0, K_READ, 0, 0, 0, 0, 0, OK },
	/* Protection keys: key 5, PKRU.AD5 is bit 10, WD5 bit 11. */
	{ "PKU: user read, AD = 1", M64, PRU, PRU | KEY5, 3, K_READ, 0, PKE, 0, 0, 1u << 10, 0x25 },
	{ "PKU: user write, WD = 1", M64, PRU, PRU | KEY5, 3, K_WRITE, 0, PKE, 0, 0, 1u << 11, 0x27 },
	{ "PKU: user write, WD = 1, WP = 0", M64, PRU, PRU | KEY5, 3, K_WRITE, 0, PKE, 0, 0, 1u << 11, 0x27 },
	{ "PKU: user read, WD = 1", M64, PRU, PRU | KEY5, 3, K_READ, 0, PKE, 0, 0, 1u << 11, OK },
	{ "PKU: supervisor read, AD = 1", M64, PRU, PRU | KEY5, 0, K_READ, 0, PKE, 0, 0, 1u << 10, 0x21 },
	{ "PKU: supervisor write, WD = 1, WP = 0", M64, PRU, PRU | KEY5, 0, K_WRITE, 0, PKE, 0, 0, 1u << 11, OK },
	{ "PKU: supervisor write, WD = 1, WP = 1", M64, PRU, PRU | KEY5, 0, K_WRITE, WP, PKE, 0, 0, 1u << 11, 0x23 },
	{ "PKU: user fetch, AD = 1", M64, PRU, PRU | KEY5, 3, K_FETCH, 0, PKE, 0, 0, 1u << 10, OK },
	{ "PKU: supervisor page, AD = 1", M64, PRU, P | RW | KEY5, 0, K_READ, 0, PKE, 0, 0, 1u << 10, OK },
	{ "PKU: another key's AD = 1", M64, PRU, PRU | KEY5, 3, K_READ, 0, PKE, 0, 0, 1u << 8, OK },
	{ "PKU: CR4.PKE = 0 ignores PKRU", M64, PRU, PRU | KEY5, 3, K_READ, 0, 0, 0, 0, 1u << 10, OK },
	{ "PKU: user write to a read-only page, WD = 1", M64, PRU, P | US | KEY5, 3, K_WRITE, 0, PKE, 0, 0, 1u << 11, 0x27 },
	{ "PKU: implicit read at CPL 3, AD = 1", M64, PRU, PRU | KEY5, 3, K_IREAD, 0, PKE, 0, 0, 1u << 10, 0x21 },
	{ "PKU: SMAP fault also reports PK", M64, PRU, PRU | KEY5, 0, K_READ, 0, PKE | SMAP, 0, 0, 1u << 10, 0x21 },
	/* Reserved bits in the final entry. */
	{ "IA-32e: bits 62:52 of the final entry are ignored", M64, PRU, PRU | (1ull << 55), 0, K_READ, 0, 0, 0, 0, 0, OK },
	{ "PAE: bit 62 of the final entry is reserved", MPAE, PRU, PRU | (1ull << 62), 0, K_READ, 0, 0, 0, 0, 0, 0x09 },
	{ "address bit 46 (MAXPHYADDR) is reserved", MNX, PRU, PRU | (1ull << 46), 0, K_READ, 0, 0, 0, 0, 0, 0x09 },
	{ "reserved bit on a user write: P W U RSVD", MNX, PRU, PRU | (1ull << 50), 3, K_WRITE, 0, 0, 0, 0, 0, 0x0f },
	{ "reserved bit on a fetch with NXE: P RSVD I", MNX, PRU, PRU | (1ull << 50), 0, K_FETCH, 0, 0, 1, 0, 0, 0x19 },
	{ "reserved bit before a U/S violation: RSVD wins", MNX, PRU, P | RW | (1ull << 50), 3, K_READ, 0, 0, 0, 0, 0, 0x0d },
};

static void run_perm_case(struct env *e, const struct perm_case *t,
			  enum paging_mode m)
{
	struct cpu *c = e->c;
	uint64_t la = mode_la(m);
	uint64_t flags[5], epa[5];
	env_paging(m);
	c->cr0 |= t->cr0;
	c->cr4 |= t->cr4;
	if (t->nxe)
		c->efer |= EFER_NXE;
	if (t->ac)
		c->rflags |= FLAG_AC;
	c->pkru = t->pkru;
	c->cpl = t->cpl;
	int n = m == PAGING_32 ? 2 : m == PAGING_PAE ? 3 : m == PAGING_4LEVEL ? 4 : 5;
	for (int i = 0; i < n; i++)
		flags[i] = i == n - 1 ? t->leaf : t->nonleaf;
	if (m == PAGING_PAE)
		flags[0] = P;
	env_map(la, DATA_PA, 12, flags, epa);
	env_set(DATA_PA + (la & 0xfff), 4, MARKER);

	struct env_access r = do_access(e, t->kind, la);
	if (t->ec == OK) {
		if (r.fault)
			print_error("%s [%s]: unexpected %s ec 0x%x: %s\n", t->name,
				    mode_str(m), exc_name(r.vector), r.ec,
				    c->fault.reason);
		assert_false(r.fault);
		bool write = t->kind == K_WRITE || t->kind == K_IWRITE;
		if (write)
			assert_int_equal(env_get(DATA_PA + (la & 0xfff), 4),
					 WVAL);
		else
			assert_int_equal(r.value, MARKER);
		/* SDM 4.8: A in every entry used, D in the final one on a
		 * write (PAE's PDPTE registers have no A flag). */
		for (int i = m == PAGING_PAE ? 1 : 0; i < n; i++)
			assert_true(env_get(epa[i], 1) & PTE_A);
		assert_int_equal(!!(env_get(epa[n - 1], 1) & PTE_D), write);
	} else {
		if (!r.fault || r.vector != EXC_PF || (int)r.ec != t->ec)
			print_error("%s [%s]: expected #PF(0x%x), got %s (0x%x): %s\n",
				    t->name, mode_str(m), t->ec,
				    r.fault ? exc_name(r.vector) : "no fault",
				    r.ec, r.fault ? c->fault.reason : "");
		assert_true(r.fault);
		assert_int_equal(r.vector, EXC_PF);
		assert_int_equal(r.ec, t->ec);
		assert_int_equal(r.cr2, m == PAGING_32 || m == PAGING_PAE
				 ? (uint32_t)la : la);
		/* Flags change only for a permitted access. */
		for (int i = m == PAGING_PAE ? 1 : 0; i < n; i++)
			assert_false(env_get(epa[i], 1) & (PTE_A | PTE_D));
		assert_int_equal(env_get(DATA_PA + (la & 0xfff), 4), MARKER);
	}
}

static void test_permissions(void **state)
{
	struct env *e = *state;
	for (size_t i = 0; i < sizeof(perm_cases) / sizeof(perm_cases[0]); i++)
		for (int m = PAGING_32; m <= PAGING_5LEVEL; m++)
			if (perm_cases[i].modes & (1u << m))
				run_perm_case(e, &perm_cases[i], (enum paging_mode)m);
}

/* Every level's P = 0 gives #PF(0) with CR2 = la, naming the entry. */
static void test_not_present_each_level(void **state)
{
	struct env *e = *state;
	static const char *const top[] = { NULL, "PDE", "PDPTE", "PML4E", "PML5E" };
	for (int m = PAGING_32; m <= PAGING_5LEVEL; m++) {
		int n = m == PAGING_32 ? 2 : m == PAGING_PAE ? 3 : m == PAGING_4LEVEL ? 4 : 5;
		for (int lvl = 0; lvl < n; lvl++) {
			uint64_t flags[5], epa[5];
			uint64_t la = mode_la((enum paging_mode)m);
			env_paging((enum paging_mode)m);
			for (int i = 0; i < n; i++)
				flags[i] = (m == PAGING_PAE && i == 0) ? P : PRU;
			flags[lvl] &= ~P;
			e->c->cpl = 3;
			env_map(la, DATA_PA, 12, flags, epa);
			struct env_access r = do_access(e, K_WRITE, la);
			assert_true(r.fault);
			assert_int_equal(r.vector, EXC_PF);
			assert_int_equal(r.ec, 0x06);
			assert_int_equal(r.cr2, m <= PAGING_PAE ? (uint32_t)la : la);
			assert_non_null(strstr(e->c->fault.reason, "not present"));
			if (lvl == 0)
				assert_non_null(strstr(e->c->fault.reason, top[m]));
			if (lvl == n - 1)
				assert_non_null(strstr(e->c->fault.reason, "PTE 0x"));
		}
	}
}

struct large_case {
	const char *name;
	enum paging_mode mode;
	uint64_t la;
	unsigned shift;
	uint64_t frame;
	uint64_t pa;   /* expected translation of la */
};

static const struct large_case large_cases[] = {
	{ "32-bit, 4 KiB", PAGING_32, 0xc0803120u, 12, 0x205000, 0x205120 },
	{ "32-bit, 4 MiB (PSE)", PAGING_32, 0xc0c03120u, 22, 0x800000, 0x803120 },
	{ "32-bit, 4 MiB above 4 GiB (PSE-36)", PAGING_32, 0xc0c03120u, 22, 0x3c0800000ull, 0x3c0803120ull },
	{ "PAE, 4 KiB", PAGING_PAE, 0xc0803120u, 12, 0x205000, 0x205120 },
	{ "PAE, 2 MiB", PAGING_PAE, 0xc0803120u, 21, 0x600000, 0x603120 },
	{ "PAE, 2 MiB above 4 GiB", PAGING_PAE, 0xc0803120u, 21, 0x2000000000ull, 0x2000003120ull },
	{ "4-level, 4 KiB", PAGING_4LEVEL, 0x00007f8012c03120ull, 12, 0x205000, 0x205120 },
	{ "4-level, 2 MiB", PAGING_4LEVEL, 0x00007f8012c03120ull, 21, 0x600000, 0x603120 },
	{ "4-level, 1 GiB", PAGING_4LEVEL, 0xffff8000c0c03120ull, 30, 0, 0xc03120 },
	{ "4-level, 4 KiB at the top of MAXPHYADDR", PAGING_4LEVEL, 0x1000, 12, 0x3ffffffff000ull, 0x3ffffffff000ull },
	{ "5-level, 4 KiB", PAGING_5LEVEL, 0x00f07f8012c03120ull, 12, 0x205000, 0x205120 },
	{ "5-level, 2 MiB", PAGING_5LEVEL, 0xff707f8012c03120ull, 21, 0x600000, 0x603120 },
	{ "5-level, 1 GiB", PAGING_5LEVEL, 0x00f07f80c0c03120ull, 30, 0, 0xc03120 },
};

/* Each page size translates the offset bits of la; a write sets D in the
 * final entry, whatever level it is at. */
static void test_page_sizes(void **state)
{
	struct env *e = *state;
	for (size_t i = 0; i < sizeof(large_cases) / sizeof(large_cases[0]); i++) {
		const struct large_case *t = &large_cases[i];
		uint64_t flags[5] = { PRU, PRU, PRU, PRU, PRU }, epa[5], pa;
		env_paging(t->mode);
		if (t->mode == PAGING_PAE)
			flags[0] = P;
		int n = env_map(t->la, t->frame, t->shift, flags, epa);
		assert_true(paging_probe(e->c, t->la, &pa));
		if (pa != t->pa)
			print_error("%s: pa 0x%llx\n", t->name, (unsigned long long)pa);
		assert_int_equal(pa, t->pa);
		if (t->pa + 4 <= ENV_BIG_RAM) {
			env_set(t->pa, 4, MARKER);
			struct env_access r = do_access(e, K_READ, t->la);
			assert_false(r.fault);
			assert_int_equal(r.value, MARKER);
			assert_false(env_get(epa[n - 1], 1) & PTE_D);
			r = do_access(e, K_WRITE, t->la);
			assert_false(r.fault);
			assert_int_equal(env_get(t->pa, 4), WVAL);
			assert_true(env_get(epa[n - 1], 1) & PTE_D);
		} else {
			/* Not RAM: the bus answers all ones. */
			unsigned before = e->mmio_reads;
			struct env_access r = do_access(e, K_READ, t->la);
			assert_false(r.fault);
			assert_int_equal(r.value, 0xffffffffu);
			assert_true(e->mmio_reads > before);
		}
	}
}

/* 32-bit paging with CR4.PSE = 0 ignores PS: the PDE points to a page
 * table (SDM Vol. 3A 4.3). */
static void test_pse_off_ignores_ps(void **state)
{
	struct env *e = *state;
	uint64_t flags[2] = { PRU, PRU }, epa[2], pa;
	env_paging(PAGING_32);
	env_map(0x00403000, DATA_PA, 12, flags, epa);
	env_set(epa[0], 4, env_get(epa[0], 4) | PTE_PS);
	assert_true(paging_probe(e->c, 0x00403000, &pa));
	assert_int_not_equal(pa, DATA_PA);  /* with PSE, a 4-MiB page */
	e->c->cr4 &= ~CR4_PSE;
	assert_true(paging_probe(e->c, 0x00403000, &pa));
	assert_int_equal(pa, DATA_PA);
}

struct rsvd_case {
	const char *name;
	enum paging_mode mode;
	unsigned shift;  /* page size */
	int level;       /* entry that gets the extra bits, from the top */
	uint64_t bits;
	bool nxe;
	int ec;
};

static const struct rsvd_case rsvd_cases[] = {
	{ "32-bit 4-MiB PDE bit 21", PAGING_32, 22, 0, 1ull << 21, 0, 0x09 },
	{ "32-bit 4-MiB PDE bit 20 is PA bit 39 (PSE-36)", PAGING_32, 22, 0, 1ull << 20, 0, OK },
	{ "32-bit PTE bit 7 is PAT", PAGING_32, 12, 1, 1ull << 7, 0, OK },
	{ "PAE 2-MiB PDE bit 13", PAGING_PAE, 21, 1, 1ull << 13, 0, 0x09 },
	{ "PAE 2-MiB PDE bit 12 is PAT", PAGING_PAE, 21, 1, 1ull << 12, 0, OK },
	{ "PAE PDE bit 46", PAGING_PAE, 12, 1, 1ull << 46, 0, 0x09 },
	{ "PAE PTE bit 52", PAGING_PAE, 12, 2, 1ull << 52, 0, 0x09 },
	{ "PAE PTE XD, NXE = 1", PAGING_PAE, 12, 2, 1ull << 63, 1, OK },
	{ "4-level PML4E PS", PAGING_4LEVEL, 12, 0, PTE_PS, 0, 0x09 },
	{ "4-level 1-GiB PDPTE bit 13", PAGING_4LEVEL, 30, 1, 1ull << 13, 0, 0x09 },
	{ "4-level 1-GiB PDPTE bit 29", PAGING_4LEVEL, 30, 1, 1ull << 29, 0, 0x09 },
	{ "4-level 2-MiB PDE bit 20", PAGING_4LEVEL, 21, 2, 1ull << 20, 0, 0x09 },
	{ "4-level PDPTE bit 51", PAGING_4LEVEL, 12, 1, 1ull << 51, 0, 0x09 },
	{ "4-level PDPTE XD, NXE = 0", PAGING_4LEVEL, 12, 1, 1ull << 63, 0, 0x09 },
	{ "4-level PDPTE XD, NXE = 1", PAGING_4LEVEL, 12, 1, 1ull << 63, 1, OK },
	{ "4-level PTE bit 52 is ignored", PAGING_4LEVEL, 12, 3, 1ull << 52, 0, OK },
	{ "4-level PDE bits 11:9 are ignored", PAGING_4LEVEL, 12, 2, 7ull << 9, 0, OK },
	{ "5-level PML5E PS", PAGING_5LEVEL, 12, 0, PTE_PS, 0, 0x09 },
	{ "5-level PML4E PS", PAGING_5LEVEL, 12, 1, PTE_PS, 0, 0x09 },
	{ "5-level PML5E bit 46", PAGING_5LEVEL, 12, 0, 1ull << 46, 0, 0x09 },
};

static void test_reserved_bits(void **state)
{
	struct env *e = *state;
	for (size_t i = 0; i < sizeof(rsvd_cases) / sizeof(rsvd_cases[0]); i++) {
		const struct rsvd_case *t = &rsvd_cases[i];
		uint64_t flags[5] = { PRU, PRU, PRU, PRU, PRU }, epa[5];
		uint64_t la = mode_la(t->mode);
		env_paging(t->mode);
		if (t->nxe)
			e->c->efer |= EFER_NXE;
		if (t->mode == PAGING_PAE)
			flags[0] = P;
		flags[t->level] |= t->bits;
		int n = env_map(la, DATA_PA, t->shift, flags, epa);
		uint64_t off = (1ull << t->shift) - 1;
		uint64_t pa_expected = (DATA_PA & ~off) + (la & off);
		if (t->mode == PAGING_32 && t->bits == (1ull << 20))
			pa_expected += 1ull << 39;  /* PSE-36 */
		if (pa_expected + 4 <= ENV_BIG_RAM)
			env_set(pa_expected, 4, MARKER);
		struct env_access r = do_access(e, K_READ, la);
		if (t->ec == OK) {
			if (r.fault)
				print_error("%s: %s\n", t->name, e->c->fault.reason);
			assert_false(r.fault);
			if (pa_expected + 4 <= ENV_BIG_RAM)
				assert_int_equal(r.value, MARKER);
		} else {
			if (!r.fault)
				print_error("%s: no fault\n", t->name);
			assert_true(r.fault);
			assert_int_equal(r.vector, EXC_PF);
			assert_int_equal(r.ec, t->ec);
			assert_int_equal(r.cr2, t->mode <= PAGING_PAE ? (uint32_t)la : la);
			assert_non_null(strstr(e->c->fault.reason, "reserved bit"));
			for (int l = 0; l < n; l++)
				assert_false(env_get(epa[l], 1) & PTE_A);
		}
	}
}

/* MAXPHYADDR comes from CPUID 0x80000008; 1-GByte pages need
 * CPUID.80000001H:EDX[26]. */
static void test_model_dependent_bits(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	struct cpu_model saved = c->model;
	uint64_t flags[5] = { PRU, PRU, PRU, PRU, PRU }, epa[5];
	uint64_t la = mode_la(PAGING_4LEVEL);

	/* MAXPHYADDR 36: bit 40 of a PTE is reserved. */
	c->model.cpuid[2].eax = 0x3024;
	assert_int_equal(paging_maxphyaddr(c), 36);
	env_paging(PAGING_4LEVEL);
	flags[3] |= 1ull << 40;
	env_map(la, DATA_PA, 12, flags, epa);
	struct env_access r = do_access(e, K_READ, la);
	assert_true(r.fault);
	assert_int_equal(r.ec, 0x09);

	/* 32-bit paging with MAXPHYADDR 36: PDE bits 21:17 are reserved
	 * and 16:13 hold PA bits 35:32. */
	env_paging(PAGING_32);
	flags[0] = PRU | (1ull << 17);
	env_map(0x00c00000, DATA_PA & ~0x3fffffull, 22, flags, epa);
	r = do_access(e, K_READ, 0x00c00000);
	assert_true(r.fault);
	assert_int_equal(r.ec, 0x09);
	c->model = saved;

	/* No 1-GByte pages: PS in a PDPTE is reserved. */
	c->model.cpuid[1].edx &= ~(1u << 26);
	env_paging(PAGING_4LEVEL);
	flags[0] = PRU;
	env_map(la, 0, 30, flags, epa);
	r = do_access(e, K_READ, la);
	assert_true(r.fault);
	assert_int_equal(r.ec, 0x09);
	c->model = saved;
	assert_int_equal(paging_maxphyaddr(c), 46);
}

/* PDPTEs are loaded at MOV CR3 and checked then (SDM Vol. 3A 4.4.1): a
 * present one with a reserved bit is #GP(0) and nothing is loaded; a
 * not-present one may hold anything; later changes to the PDPT in memory
 * do not matter until the next load. */
static void test_pdpte_load(void **state)
{
	struct env *e = *state;
	struct cpu *c = e->c;
	uint64_t flags[3] = { P, PRU, PRU }, epa[3];
	env_paging(PAGING_PAE);
	uint64_t la = mode_la(PAGING_PAE);
	env_map(la, DATA_PA, 12, flags, epa);
	env_set(DATA_PA + (la & 0xfff), 4, MARKER);
	uint64_t good[4];
	memcpy(good, c->pdpte, sizeof(good));
	assert_true(good[3] & P);

	static const uint64_t bad_bits[] = { 1ull << 1, 1ull << 2, 1ull << 5,
					     1ull << 8, 1ull << 46, 1ull << 63 };
	for (size_t i = 0; i < sizeof(bad_bits) / sizeof(bad_bits[0]); i++) {
		uint64_t pdpt = c->cr3 & 0xffffffe0u;
		uint64_t saved = env_get(pdpt + 8, 8);
		env_set(pdpt + 8, 8, 0x300000 | P | bad_bits[i]);
		int v = ENV_CATCH(c, paging_load_pdptes(c, c->cr3));
		if (v < 0)
			fail_msg("PDPTE with bit %d loaded", __builtin_ctzll(bad_bits[i]));
		assert_int_equal(v, EXC_GP);
		assert_int_equal(c->fault.error_code, 0);
		assert_memory_equal(c->pdpte, good, sizeof(good));
		/* Not present: the other bits are free. */
		env_set(pdpt + 8, 8, bad_bits[i]);
		paging_load_pdptes(c, c->cr3);
		assert_int_equal(c->pdpte[1], bad_bits[i]);
		env_set(pdpt + 8, 8, saved);
		paging_load_pdptes(c, c->cr3);
	}

	/* The PDPTE registers, not memory, are used by the walk. */
	env_set(epa[0], 8, 0);
	tlb_flush_all(c);
	struct env_access r = do_access(e, K_READ, la);
	assert_false(r.fault);
	assert_int_equal(r.value, MARKER);
	paging_load_pdptes(c, c->cr3);
	tlb_flush_all(c);
	r = do_access(e, K_READ, la);
	assert_true(r.fault);
	assert_int_equal(r.ec, 0);
	assert_non_null(strstr(c->fault.reason, "PDPTE"));
}

/* Canonical addresses: 48 bits with 4-level paging, 57 with 5-level. */
static void test_canonical(void **state)
{
	struct env *e = *state;
	uint64_t flags[5] = { PRU, PRU, PRU, PRU, PRU }, epa[5];
	uint64_t la = 0x00f0000000403000ull;  /* bits 55:48 set, 56 clear */
	env_paging(PAGING_5LEVEL);
	env_map(la, DATA_PA, 12, flags, epa);
	env_set(DATA_PA, 4, MARKER);
	struct env_access r = do_access(e, K_READ, la);
	assert_false(r.fault);
	assert_int_equal(r.value, MARKER);
	assert_false(paging_canonical(e->c, 0x0100000000000000ull));
	assert_true(paging_canonical(e->c, 0xff00000000000000ull));

	env_paging(PAGING_4LEVEL);
	r = do_access(e, K_READ, la);
	assert_true(r.fault);
	assert_int_equal(r.vector, EXC_GP);
	assert_int_equal(r.ec, 0);
	assert_true(paging_canonical(e->c, 0xffff800000000000ull));
	assert_false(paging_canonical(e->c, 0x0000800000000000ull));
}

/* The reason names the entry, its value and the rule (principle 4). */
static void test_reason_names_entry(void **state)
{
	struct env *e = *state;
	uint64_t flags[4] = { PRU, PRU, P | RW, PRU }, epa[4];
	uint64_t la = mode_la(PAGING_4LEVEL);
	env_paging(PAGING_4LEVEL);
	env_map(la, DATA_PA, 12, flags, epa);
	e->c->cpl = 3;
	struct env_access r = do_access(e, K_READ, la);
	assert_true(r.fault);
	assert_int_equal(r.ec, 0x05);
	const char *why = e->c->fault.reason;
	assert_non_null(strstr(why, "user-mode read"));
	assert_non_null(strstr(why, "PDE 0x"));
	assert_non_null(strstr(why, "U/S = 0"));
	assert_non_null(strstr(why, "4-level paging"));
}

/* With paging off, linear is physical and no check applies. */
static void test_paging_off(void **state)
{
	struct env *e = *state;
	uint64_t pa;
	env_paging(PAGING_OFF);
	assert_true(paging_probe(e->c, 0x12345678, &pa));
	assert_int_equal(pa, 0x12345678);
	env_set(0x3000, 4, MARKER);
	e->c->cpl = 3;
	struct env_access r = do_access(e, K_READ, 0x3000);
	assert_false(r.fault);
	assert_int_equal(r.value, MARKER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PAGING_TEST(test_permissions),
		PAGING_TEST(test_not_present_each_level),
		PAGING_TEST(test_page_sizes),
		PAGING_TEST(test_pse_off_ignores_ps),
		PAGING_TEST(test_reserved_bits),
		PAGING_TEST(test_model_dependent_bits),
		PAGING_TEST(test_pdpte_load),
		PAGING_TEST(test_canonical),
		PAGING_TEST(test_reason_names_entry),
		PAGING_TEST(test_paging_off),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
