/* Builds the execution fuzzer's guests (see fuzz_guest.h): the machine
 * shape from the seed, then RAM: random bytes, device-minded code chains,
 * the descriptor tables, page tables and the mode-entering trampoline. */
#include "tests/fuzz/fuzz_guest.h"

#include <string.h>

#include "cpu/regs.h"
#include "platform/le.h"
#include "platform/pc_layout.h"
#include "tests/fuzz/fuzz_code.h"
#include "tests/fuzz/fuzz_rng.h"

/* --- Where things are in guest RAM (physical = linear everywhere). --- */

#define G_GDT 0x1000u
#define G_GDTR 0x1100u    /* pseudo-descriptors: GDT, IDT, real-mode IVT */
#define G_IDTR 0x1108u
#define G_IVTR 0x1110u
#define G_TSS 0x1200u     /* the TSS, its I/O bitmap from G_TSS + 0x68 */
#define G_TSS_LIMIT (0x68u + 0x2000u)  /* the bitmap's 0xff byte included */
#define G_TSS2 0x3400u    /* a second TSS, random, for task switches */
#define G_IDT 0x4000u
#define G_PML4 0x5000u
#define G_PDPT 0x6000u    /* 4 entries, for 4 GiB */
#define G_PD 0x7000u      /* 4 page directories of 2-MiB pages */
#define G_PAE_PDPT 0xb000u
#define G_PSE_PD 0xc000u  /* 32-bit paging: 1024 4-MiB pages */
#define G_TRAMP 0xd000u
/* The ring-0 stack's top, IST stacks below it: far above the tables, so
 * that nested faults take long to run the stack into them. */
#define G_STACK0 0x80000u
#define G_CODE FUZZ_CODE_BASE
#define G_REAL_TOP 0xa0000u  /* real-mode code stays below */

/* GDT selectors. */
#define SEL_CODE32 0x08
#define SEL_DATA 0x10
#define SEL_CODE64 0x18
#define SEL_CODE16 0x20
#define SEL_DATA16 0x28
#define SEL_TSS 0x30      /* 16 bytes in IA-32e mode */
#define SEL_UDATA 0x43
#define SEL_UCODE32 0x4b
#define SEL_UCODE64 0x53
#define SEL_TSS2 0x60
#define SEL_FIRST_RANDOM 0x68
#define GDT_LIMIT 0xff

static const char *const mode_names[FUZZ_MODE_COUNT] = {
	[FUZZ_REAL] = "real", [FUZZ_VM86] = "vm86",
	[FUZZ_PROT32] = "prot32", [FUZZ_PSE32] = "pse32",
	[FUZZ_PAE] = "pae", [FUZZ_LONG64] = "long64",
	[FUZZ_COMPAT] = "compat",
};

const char *fuzz_mode_name(enum fuzz_mode m)
{
	return m < FUZZ_MODE_COUNT ? mode_names[m] : "?";
}

static bool mode_is_long(enum fuzz_mode m)
{
	return m == FUZZ_LONG64 || m == FUZZ_COMPAT;
}

/* Operand size of the code at the entry. */
static int mode_bits(const struct fuzz_plan *p)
{
	switch (p->mode) {
	case FUZZ_REAL:
	case FUZZ_VM86:
		return 16;
	case FUZZ_LONG64:
		return 64;
	default:
		return 32;
	}
}

void fuzz_plan_make(struct fuzz_plan *p, uint64_t seed)
{
	static const uint64_t ram_mib[] = { 1, 2, 2, 2, 3, 4 };
	static const uint64_t quanta[] = { 100, 1000, 10000, 10000 };
	struct rng r;

	memset(p, 0, sizeof(*p));
	rng_seed(&r, seed);
	p->seed = seed;
	p->ram_bytes = ram_mib[rng_below(&r, 6)] << 20;
	static const unsigned cpus[] = { 1, 1, 1, 1, 1, 1, 1, 1,
					 2, 2, 2, 2, 3, 4, 4, 8 };
	p->ncpus = cpus[rng_below(&r, 16)];
	p->quantum = quanta[rng_below(&r, 4)];
	p->block_cache = !rng_one_in(&r, 4);
	p->mode = (enum fuzz_mode)rng_below(&r, FUZZ_MODE_COUNT);
	p->user = p->mode != FUZZ_REAL && p->mode != FUZZ_VM86 &&
		  rng_one_in(&r, 3);
	p->keep_exit_ports = rng_one_in(&r, 8);
	p->start_ap = p->ncpus > 1 && !rng_one_in(&r, 4);
	/* A page of low RAM above the structures, below 640 KiB. */
	p->ap_vector = (uint8_t)(0x10 + rng_below(&r, 0x80));
	for (int i = 0; i < 16; i++) {
		uint64_t v = rng_next(&r);
		switch (rng_below(&r, 4)) {
		case 0: v &= 0xff; break;
		case 1: v %= p->ram_bytes; break;
		case 2: v &= 0xffffffff; break;
		}
		p->gpr[i] = v;
	}
}

/* A real-mode seg:off for phys (below 1 MiB), the segment random. */
static void real_addr(struct rng *r, uint32_t phys, uint16_t *seg,
		      uint16_t *off)
{
	uint32_t s = phys >> 4, back = rng_below(r, s < 0x1000 ? s : 0x1000);

	*seg = (uint16_t)(s - back);
	*off = (uint16_t)(phys - (s - back) * 16);
}

/* A code address for real-mode chains: above the structures, below
 * 640 KiB and the end of RAM. */
static uint32_t real_code_addr(struct rng *r, const struct fuzz_plan *p)
{
	uint32_t top = p->ram_bytes < G_REAL_TOP ? (uint32_t)p->ram_bytes :
		       G_REAL_TOP;

	return G_CODE + rng_below(r, top - G_CODE - 0x100);
}

static uint32_t flat_code_addr(struct rng *r, const struct fuzz_plan *p)
{
	return G_CODE + rng_below(r, (uint32_t)p->ram_bytes - G_CODE - 0x100);
}

/* --- The structures. --- */

static void put64(uint8_t *ram, uint32_t at, uint64_t v)
{
	le32_put(ram + at, (uint32_t)v);
	le32_put(ram + at + 4, (uint32_t)(v >> 32));
}

/* A segment descriptor; flags are the G, D/B, L, AVL nibble. */
static uint64_t seg_desc(uint32_t base, uint32_t limit, uint8_t access,
			 uint8_t flags)
{
	return (limit & 0xffff) | (uint64_t)(base & 0xffffff) << 16 |
	       (uint64_t)access << 40 | (uint64_t)(limit >> 16 & 0xf) << 48 |
	       (uint64_t)(flags & 0xf) << 52 | (uint64_t)(base >> 24) << 56;
}

/* A gate's first eight bytes (the 64-bit form adds offset 63:32). */
static uint64_t gate(uint16_t sel, uint32_t off, uint8_t access,
		     unsigned ist)
{
	return (off & 0xffff) | (uint64_t)sel << 16 | (uint64_t)ist << 32 |
	       (uint64_t)access << 40 | (uint64_t)(off >> 16) << 48;
}

static void build_gdt(uint8_t *ram, const struct fuzz_plan *p,
		      struct rng *r)
{
	put64(ram, G_GDT, 0);
	put64(ram, G_GDT + SEL_CODE32, seg_desc(0, 0xfffff, 0x9a, 0xc));
	put64(ram, G_GDT + SEL_DATA, seg_desc(0, 0xfffff, 0x92, 0xc));
	put64(ram, G_GDT + SEL_CODE64, seg_desc(0, 0xfffff, 0x9a, 0xa));
	put64(ram, G_GDT + SEL_CODE16, seg_desc(0, 0xffff, 0x9a, 0));
	put64(ram, G_GDT + SEL_DATA16, seg_desc(0, 0xffff, 0x92, 0));
	put64(ram, G_GDT + SEL_TSS, seg_desc(G_TSS, G_TSS_LIMIT, 0x89, 0));
	put64(ram, G_GDT + SEL_TSS + 8, 0);  /* the 64-bit TSS's top half */
	put64(ram, G_GDT + (SEL_UDATA & ~3), seg_desc(0, 0xfffff, 0xf2, 0xc));
	put64(ram, G_GDT + (SEL_UCODE32 & ~3),
	      seg_desc(0, 0xfffff, 0xfa, 0xc));
	put64(ram, G_GDT + (SEL_UCODE64 & ~3),
	      seg_desc(0, 0xfffff, 0xfa, 0xa));
	uint32_t ldt_base = flat_code_addr(r, p);
	put64(ram, G_GDT + 0x58, seg_desc(ldt_base, rng_below(r, 0x100), 0x82,
					  0));                  /* an LDT */  /* LDT */
	put64(ram, G_GDT + SEL_TSS2, seg_desc(G_TSS2, 0x67, 0x89, 0));
	/* The rest: half random bytes, half plausible descriptors and
	 * gates of every kind. */
	for (unsigned sel = SEL_FIRST_RANDOM; sel <= GDT_LIMIT - 7; sel += 8) {
		static const uint8_t sys_types[] = { 0x02, 0x05, 0x09, 0x0c,
						     0x0e, 0x0f, 0x01, 0x03 };
		uint8_t dpl = (uint8_t)(rng_below(r, 4) << 5);

		if (rng_one_in(r, 2))
			continue;
		if (rng_one_in(r, 2)) {
			uint8_t type = (uint8_t)(0x10 | rng_below(r, 16));
			uint32_t base = rng_below(r, 0x10000);
			uint32_t limit = rng_u32(r) & 0xfffff;
			put64(ram, G_GDT + sel, seg_desc(base, limit,
				0x80 | dpl | type, (uint8_t)rng_below(r, 16)));
		} else {
			static const uint16_t sels[] = { SEL_CODE32, SEL_CODE64,
				SEL_UCODE32, SEL_TSS, SEL_TSS2, 0x68 };
			uint8_t type = sys_types[rng_below(r, 8)];
			uint16_t gsel = sels[rng_below(r, 6)];
			put64(ram, G_GDT + sel, gate(gsel, flat_code_addr(r, p),
						     0x80 | dpl | type, 0));
		}
	}
	le16_put(ram + G_GDTR, GDT_LIMIT);
	le32_put(ram + G_GDTR + 2, G_GDT);
}

/* Every vector's gate points at random code, most at a chain. */
static void build_idt(uint8_t *ram, const struct fuzz_plan *p,
		      struct rng *r)
{
	bool lm = mode_is_long(p->mode);
	unsigned size = lm ? 16 : 8;
	int bits = lm ? 64 : 32;

	for (unsigned v = 0; v < 256; v++) {
		uint32_t at = G_IDT + v * size;
		uint32_t target = flat_code_addr(r, p);
		uint8_t access = rng_one_in(r, 3) ? 0x8f : 0x8e;
		unsigned ist = lm && rng_one_in(r, 8) ? rng_below(r, 8) : 0;

		if (rng_one_in(r, 4))
			access |= 0x60;             /* DPL 3: INT n from ring 3 */
		/* Interrupt handlers may return, so that timers and IPIs
		 * interrupt code that goes on. */
		if (v < 48 || rng_one_in(r, 4)) {
			uint64_t end = fuzz_code_chain(ram, p, r, target, bits);
			if (v >= 32 && rng_one_in(r, 2) && end + 2 <= p->ram_bytes) {
				if (lm)
					ram[end++] = 0x48;
				ram[end] = 0xcf;             /* IRET */
			}
		}
		if (rng_one_in(r, 64))
			continue;                   /* random bytes */
		if (!lm && rng_one_in(r, 32))       /* task gate */
			put64(ram, at, gate(SEL_TSS2, 0, 0x85, 0));
		else
			put64(ram, at, gate(lm ? SEL_CODE64 : SEL_CODE32,
					    target, access, ist));
		if (lm)
			put64(ram, at + 8, 0);
	}
	le16_put(ram + G_IDTR, rng_one_in(r, 16) ? rng_below(r, 256 * size) :
		 256 * size - 1);
	le32_put(ram + G_IDTR + 2, G_IDT);
	/* Real mode: the IVT at 0, some vectors at chains. */
	le16_put(ram + G_IVTR, 0x3ff);
	le32_put(ram + G_IVTR + 2, 0);
	if (p->mode != FUZZ_REAL)
		return;
	for (unsigned v = 0; v < 256; v++) {
		uint16_t seg, off;
		if (v >= 40 && !rng_one_in(r, 4))
			continue;
		uint32_t target = real_code_addr(r, p);
		real_addr(r, target, &seg, &off);
		le16_put(ram + v * 4, off);
		le16_put(ram + v * 4 + 2, seg);
		fuzz_code_chain(ram, p, r, target, 16);
	}
}

/* probe: every port allowed, so that the probe's OUT passes. */
static void build_tss(uint8_t *ram, const struct fuzz_plan *p,
		      struct rng *r, bool probe)
{
	memset(ram + G_TSS, 0, 0x68);
	if (mode_is_long(p->mode)) {
		put64(ram, G_TSS + 4, G_STACK0);             /* RSP0 */
		for (unsigned i = 1; i <= 7; i++)            /* IST1-7 */
			put64(ram, G_TSS + 0x1c + 8 * i, G_STACK0 - 0x200 * i);
	} else {
		le32_put(ram + G_TSS + 4, G_STACK0);         /* ESP0 */
		le16_put(ram + G_TSS + 8, SEL_DATA);         /* SS0 */
		le32_put(ram + G_TSS + 0x1c, p->mode == FUZZ_PSE32 ? G_PSE_PD :
			 p->mode == FUZZ_PAE ? G_PAE_PDPT : 0);   /* CR3 */
	}
	le16_put(ram + G_TSS + 0x66, 0x68);                  /* I/O map base */
	/* The bitmap: every port allowed, or random ones. */
	if (!probe && rng_one_in(r, 4))
		for (unsigned i = 0; i < 0x2000; i++)
			ram[G_TSS + 0x68 + i] = (uint8_t)rng_u32(r);
	else
		memset(ram + G_TSS + 0x68, 0, 0x2000);
	ram[G_TSS + 0x68 + 0x2000] = 0xff;
}

/* Identity maps of the 4-GiB space, user-accessible, some entries
 * corrupted (but not those of the first 4 MiB, where the trampoline,
 * the tables and the stack are). */
static void build_page_tables(uint8_t *ram, struct rng *r)
{
	const uint64_t pde = 0x87;   /* P, R/W, U/S, PS */

	put64(ram, G_PML4, G_PDPT | 7);
	memset(ram + G_PML4 + 8, 0, 4096 - 8);
	memset(ram + G_PDPT, 0, 4096);
	memset(ram + G_PAE_PDPT, 0, 32);
	for (unsigned i = 0; i < 4; i++) {
		put64(ram, G_PDPT + 8 * i, (G_PD + 0x1000 * i) | 7);
		put64(ram, G_PAE_PDPT + 8 * i, (G_PD + 0x1000 * i) | 1);
		for (unsigned j = 0; j < 512; j++)
			put64(ram, G_PD + 0x1000 * i + 8 * j,
			      ((uint64_t)(i * 512 + j) << 21) | pde);
	}
	for (unsigned j = 0; j < 1024; j++)
		le32_put(ram + G_PSE_PD + 4 * j, (uint32_t)(j << 22 | pde));
	if (!rng_one_in(r, 3))
		return;
	for (unsigned n = 1 + rng_below(r, 8); n; n--) {
		uint64_t bit = 1ull << rng_below(r, 64);
		unsigned j = 2 + rng_below(r, 2046);   /* past the first 4 MiB */
		uint32_t at = G_PD + 8 * j;
		put64(ram, at, le64_get(ram + at) ^ bit);
		at = G_PSE_PD + 4 * (j / 2);
		le32_put(ram + at, le32_get(ram + at) ^ (uint32_t)bit);
	}
}

/* --- The trampoline: flat 32-bit protected mode (as
 * cpu_enter_flat_protected_mode() leaves the CPU) to the seed's mode. --- */

static uint32_t entry_flags(struct emit *e)
{
	uint32_t f = 2;

	if (rng_one_in(e->r, 2))
		f |= 0x200;                               /* IF */
	f |= rng_below(e->r, 4) << 12;                    /* IOPL */
	return f;
}

static void tramp_real(struct emit *e, uint32_t entry)
{
	uint16_t seg, off;
	uint32_t r16;

	EMIT(e, "\x0f\x01\x1d");      /* lidt [G_IVTR] */
	e32(e, G_IVTR);
	r16 = (uint32_t)e->pc + 7;
	e8(e, 0xea);                  /* jmp SEL_CODE16:r16 */
	e32(e, r16);
	e16(e, SEL_CODE16);
	e->bits = 16;
	/* 16-bit protected mode: real-mode limits in every data segment,
	 * then PE off and a far jump to reload CS as real mode does. */
	mov_imm(e, R_EAX, SEL_DATA16);
	EMIT(e, "\x8e\xd8\x8e\xc0\x8e\xd0\x8e\xe0\x8e\xe8");
	EMIT(e, "\x0f\x20\xc0\x66\x83\xe0\xfe\x0f\x22\xc0");
	e8(e, 0xea);
	e16(e, (uint16_t)(e->pc + 4));
	e16(e, 0);
	static const uint8_t sregs[] = { 0xd8, 0xc0, 0xe0, 0xe8, 0xd0 };
	for (int i = 0; i < 5; i++) {
		e8(e, 0xb8);
		e16(e, i == 4 ? 0x1000 + rng_below(e->r, 0x8000) :
		    rng_u32(e->r) & 0xffff);
		e8(e, 0x8e);
		e8(e, sregs[i]);
	}
	e8(e, 0xbc);                  /* mov sp, imm16 */
	e16(e, rng_u32(e->r) & 0xfffe);
	o32(e);
	e8(e, 0x68);
	e32(e, entry_flags(e) & 0x200 ? 0x202 : 2);
	o32(e);
	e8(e, 0x9d);
	real_addr(e->r, entry, &seg, &off);
	e8(e, 0xea);
	e16(e, off);
	e16(e, seg);
}

static void ltr(struct emit *e)
{
	mov_imm(e, R_EAX, SEL_TSS);
	EMIT(e, "\x0f\x00\xd8");
}

static void push_imm(struct emit *e, uint32_t v)
{
	e8(e, 0x68);
	e32(e, v);
}

static void tramp_vm86(struct emit *e, uint32_t entry)
{
	uint16_t seg, off;

	ltr(e);
	real_addr(e->r, entry, &seg, &off);
	for (int i = 0; i < 4; i++)   /* GS, FS, DS, ES */
		push_imm(e, rng_u32(e->r) & 0xffff);
	push_imm(e, 0x1000 + rng_below(e->r, 0x8000));   /* SS */
	push_imm(e, rng_u32(e->r) & 0xfffe);             /* ESP */
	push_imm(e, entry_flags(e) | 0x20000);           /* EFLAGS.VM */
	push_imm(e, seg);
	push_imm(e, off);
	e8(e, 0xcf);                  /* iretd */
}

/* CR4 |= bits, CR3 = cr3, (EFER.LME), CR0.PG. */
static void paging_on(struct emit *e, uint32_t cr3, uint32_t cr4_bits,
		      bool lme)
{
	mov_imm(e, R_EAX, cr3);
	mov_cr(e, true, 3);
	mov_cr(e, false, 4);
	alu_eax(e, 0x0d, cr4_bits);
	mov_cr(e, true, 4);
	if (lme) {
		mov_imm(e, R_ECX, 0xc0000080);   /* IA32_EFER */
		EMIT(e, "\x0f\x32");
		alu_eax(e, 0x0d, (uint32_t)EFER_LME);
		EMIT(e, "\x0f\x30");
	}
	mov_cr(e, false, 0);
	alu_eax(e, 0x0d, (uint32_t)CR0_PG);
	mov_cr(e, true, 0);
}

static void tramp_user(struct emit *e, const struct fuzz_plan *p,
		       uint32_t entry, uint16_t cs)
{
	uint32_t sp = flat_code_addr(e->r, p) & ~15u;

	if (e->bits == 32) {
		mov_imm(e, R_EAX, SEL_UDATA);
		EMIT(e, "\x8e\xd8\x8e\xc0\x8e\xe0\x8e\xe8");
	}
	push_imm(e, SEL_UDATA);
	push_imm(e, sp);
	push_imm(e, entry_flags(e));
	push_imm(e, cs);
	push_imm(e, entry);
	if (e->bits == 64)
		e8(e, 0x48);
	e8(e, 0xcf);                  /* iretd / iretq */
}

static void tramp_prot(struct emit *e, const struct fuzz_plan *p,
		       uint32_t entry)
{
	ltr(e);
	if (p->mode == FUZZ_PSE32)
		paging_on(e, G_PSE_PD, (uint32_t)CR4_PSE, false);
	else if (p->mode == FUZZ_PAE)
		paging_on(e, G_PAE_PDPT, (uint32_t)CR4_PAE, false);
	if (p->user) {
		tramp_user(e, p, entry, SEL_UCODE32);
		return;
	}
	push_imm(e, entry_flags(e));
	e8(e, 0x9d);                  /* popfd */
	e8(e, 0xea);
	e32(e, entry);
	e16(e, SEL_CODE32);
}

static void tramp_long(struct emit *e, const struct fuzz_plan *p,
		       uint32_t entry)
{
	paging_on(e, G_PML4, (uint32_t)CR4_PAE, true);
	e8(e, 0xea);                  /* jmp SEL_CODE64:next */
	e32(e, (uint32_t)e->pc + 6);
	e16(e, SEL_CODE64);
	e->bits = 64;
	mov_imm(e, R_EAX, SEL_DATA);
	EMIT(e, "\x8e\xd8\x8e\xc0\x8e\xd0\x8e\xe0\x8e\xe8");
	ltr(e);
	mov_imm(e, R_ESP, G_STACK0);
	if (p->user) {
		tramp_user(e, p, entry, p->mode == FUZZ_LONG64 ? SEL_UCODE64 :
			   SEL_UCODE32);
		return;
	}
	push_imm(e, entry_flags(e));
	e8(e, 0x9d);                  /* popfq */
	if (p->mode == FUZZ_LONG64) {
		mov_imm(e, R_EAX, entry);
		EMIT(e, "\xff\xe0");      /* jmp rax */
	} else {
		EMIT(e, "\x6a\x08");      /* push SEL_CODE32 */
		push_imm(e, entry);
		EMIT(e, "\x48\xcb");      /* retfq */
	}
}

static void build_trampoline(uint8_t *ram, struct fuzz_plan *p,
			     struct rng *r, uint32_t entry)
{
	struct emit e = { ram, p->ram_bytes, G_TRAMP, 32, r, p };

	EMIT(&e, "\x0f\x01\x15");     /* lgdt [G_GDTR] */
	e32(&e, G_GDTR);
	EMIT(&e, "\x0f\x01\x1d");     /* lidt [G_IDTR] */
	e32(&e, G_IDTR);
	e8(&e, 0xea);                 /* jmp SEL_CODE32:next */
	e32(&e, (uint32_t)e.pc + 6);
	e16(&e, SEL_CODE32);
	mov_imm(&e, R_EAX, SEL_DATA);
	EMIT(&e, "\x8e\xd8\x8e\xc0\x8e\xd0\x8e\xe0\x8e\xe8");
	mov_imm(&e, R_ESP, G_STACK0);
	switch (p->mode) {
	case FUZZ_REAL:
		tramp_real(&e, entry);
		break;
	case FUZZ_VM86:
		tramp_vm86(&e, entry);
		break;
	case FUZZ_LONG64:
	case FUZZ_COMPAT:
		tramp_long(&e, p, entry);
		break;
	default:
		tramp_prot(&e, p, entry);
	}
	p->tramp_rip = G_TRAMP;
}

/* --- The probe: B8 03 00 EB 02 B0 05 48 FE C0 E6 F4.
 *   16-bit: mov ax, 3; jmp +2; dec ax; inc al; out 0xf4, al   -> 3
 *   32-bit: mov eax, 0x02eb0003; mov al, 5; dec eax; inc al   -> 5
 *   64-bit: mov eax, ...; mov al, 5; inc al (REX.W FE C0)     -> 6 --- */

static const uint8_t probe_code[] = {
	0xb8, 0x03, 0x00, 0xeb, 0x02, 0xb0, 0x05, 0x48, 0xfe, 0xc0, 0xe6, 0xf4,
};

int fuzz_probe_status(const struct fuzz_plan *p)
{
	int bits = mode_bits(p);
	int v = bits == 16 ? 3 : bits == 32 ? 5 : 6;

	return v << 1 | 1;
}

/* "OUT imm8" to the ports that end the run (debug exit F4H-F7H, fast
 * reset at 92H, the 8042's pulse commands at 64H), in random bytes,
 * mostly becomes an OUT elsewhere. */
static void scrub_exit_ports(uint8_t *ram, uint64_t n)
{
	for (uint64_t i = 0; i + 1 < n; i++) {
		if (ram[i] != 0xe6 && ram[i] != 0xe7)
			continue;
		if ((ram[i + 1] & 0xfc) == PC_PORT_DEBUG_EXIT)
			ram[i + 1] = PC_PORT_IGNNE;
		else if (ram[i + 1] == PC_PORT_SYS_CTRL_A ||
			 ram[i + 1] == PC_PORT_KBD_CMD)
			ram[i + 1] ^= 0x01;
	}
}

void fuzz_guest_build(struct fuzz_plan *p, uint8_t *ram, bool probe)
{
	struct rng r;
	uint32_t entry;

	rng_seed(&r, p->seed ^ 0x6a09e667f3bcc908ull);
	for (uint64_t i = 0; i < p->ram_bytes; i += 8)
		put64(ram, (uint32_t)i, rng_next(&r));
	if (!p->keep_exit_ports)
		scrub_exit_ports(ram, p->ram_bytes);

	entry = p->mode == FUZZ_REAL || p->mode == FUZZ_VM86 ?
		real_code_addr(&r, p) : flat_code_addr(&r, p);
	p->entry = entry;
	fuzz_code_chain(ram, p, &r, entry, mode_bits(p));
	if (p->start_ap)
		fuzz_code_chain(ram, p, &r, (uint64_t)p->ap_vector << 12, 16);
	/* The structures last: no chain runs over them. */
	build_idt(ram, p, &r);
	build_gdt(ram, p, &r);
	build_tss(ram, p, &r, probe);
	build_page_tables(ram, &r);
	build_trampoline(ram, p, &r, entry);
	if (probe)
		memcpy(ram + entry, probe_code, sizeof(probe_code));
}
