/* Device-minded code chains for the execution fuzzer (fuzz_code.h). */
#include "tests/fuzz/fuzz_code.h"

#include "cpu/regs.h"
#include "platform/pc_layout.h"

/* --- What the chains aim at. --- */

static const uint16_t fuzz_ports[] = {
	PC_PORT_PIC_MASTER, PC_PORT_PIC_MASTER + 1, PC_PORT_PIC_SLAVE,
	PC_PORT_PIC_SLAVE + 1, PC_PORT_ELCR, PC_PORT_ELCR + 1,
	PC_PORT_PIT, PC_PORT_PIT + 1, PC_PORT_PIT + 2, PC_PORT_PIT + 3,
	PC_PORT_SYS_CTRL_B, PC_PORT_KBD_DATA, PC_PORT_KBD_CMD,
	PC_PORT_RTC, PC_PORT_RTC + 1, PC_PORT_SYS_CTRL_A, PC_PORT_IGNNE,
	PC_PORT_PCI_ADDR, PC_PORT_RESET, PC_PORT_PCI_DATA,
	PC_PORT_PCI_DATA + 1, PC_PORT_PCI_DATA + 2, PC_PORT_PCI_DATA + 3,
	PC_PORT_FW_CFG, PC_PORT_FW_CFG + 1, PC_PORT_TESTDEV,
	PC_PORT_TESTDEV + 4, PC_PORT_TESTDEV + 8, PC_PORT_TESTDEV_IRQ,
	PC_PORT_TESTDEV_IRQ + 9, PC_PORT_PM1A_EVT, PC_PORT_PM1A_EVT + 2,
	PC_PORT_PM1A_CNT, PC_PORT_PM_TMR, PC_PORT_COM1, PC_PORT_COM1 + 1,
	PC_PORT_COM1 + 2, PC_PORT_COM1 + 3, PC_PORT_COM1 + 4,
	PC_PORT_COM1 + 5, PC_PORT_COM1 + 6, PC_PORT_COM1 + 7, PC_PORT_COM2,
	PC_PORT_COM2 + 1, PC_PORT_COM2 + 4, PC_PORT_DEBUGCON,
	PC_PORT_SHUTDOWN, PC_PORT_DEBUG_EXIT,
};
#define N_PORTS (sizeof(fuzz_ports) / sizeof(fuzz_ports[0]))

/* A port; the debug-exit port, which ends the run whatever is written,
 * only for plans that keep it. */
static uint16_t pick_port(struct emit *e)
{
	uint16_t port = rng_one_in(e->r, 16) ? (uint16_t)rng_u32(e->r) :
			fuzz_ports[rng_below(e->r, N_PORTS)];

	if ((port & ~3u) == PC_PORT_DEBUG_EXIT && !e->p->keep_exit_ports)
		return PC_PORT_DEBUGCON;
	return port;
}

/* A value for port: mostly without the bits that end the run (exit,
 * reset, power off), which otherwise cut most runs short. */
static uint32_t port_value(struct emit *e, uint16_t port)
{
	uint32_t v = rng_u32(e->r);
	bool tame = !e->p->keep_exit_ports || !rng_one_in(e->r, 4);

	if (rng_one_in(e->r, 3))
		v &= 0xff;
	if (!tame)
		return v;
	switch (port) {
	case PC_PORT_SHUTDOWN:
		return v & 0xff00;    /* never the "S" of "Shutdown" */
	case PC_PORT_SYS_CTRL_A:
		return v & ~1u;       /* bit 0: fast reset */
	case PC_PORT_RESET:
		return v & ~4u;       /* bit 2: reset */
	case PC_PORT_KBD_CMD:
		return (v & 0xf0) == 0xf0 ? 0xd0 : v;  /* pulse commands */
	case PC_PORT_PM1A_CNT:
		return v & ~(1u << 13);  /* SLP_EN */
	}
	return v;
}

/* The MSRs the CPU implements, and neighbours. */
#define MSR_FIELD(name, index, feature, field, check) index,
#define MSR_FUNC(name, index, feature, read, write) index,
static const uint32_t fuzz_msrs[] = {
#include "cpu/msr.def"
};
#undef MSR_FIELD
#undef MSR_FUNC
#define N_MSRS (sizeof(fuzz_msrs) / sizeof(fuzz_msrs[0]))

static uint32_t pick_msr(struct rng *r)
{
	switch (rng_below(r, 8)) {
	case 0:
		return rng_u32(r);
	case 1:
		return 0x800 + rng_below(r, 0x40);   /* x2APIC */
	case 2:
		return 0x480 + rng_below(r, 0x20);   /* VMX capabilities */
	}
	return fuzz_msrs[rng_below(r, N_MSRS)];
}

#define LAPIC_BASE 0xfee00000u
#define IOAPIC_BASE 0xfec00000u
#define TESTDEV_MMIO 0xff000000u

static uint32_t pick_mmio(struct emit *e)
{
	struct rng *r = e->r;
	uint32_t a;

	switch (rng_below(r, 8)) {
	case 0:
	case 1:
	case 2:
		a = LAPIC_BASE + (rng_below(r, 0x40) << 4);
		break;
	case 3:
		a = IOAPIC_BASE + (rng_one_in(r, 2) ? 0 : 0x10);
		break;
	case 4:
		a = TESTDEV_MMIO + rng_below(r, 0x10000);
		break;
	case 5:
		/* Straddling the end of RAM or a device's first byte. */
		a = rng_one_in(r, 2) ? (uint32_t)e->p->ram_bytes - 4 :
		    LAPIC_BASE - 4;
		break;
	case 6:
		a = FUZZ_CODE_BASE + rng_below(r, (uint32_t)e->p->ram_bytes - FUZZ_CODE_BASE);
		break;
	default:
		a = rng_u32(r);
	}
	if (rng_one_in(r, 8))
		a += rng_below(r, 8);
	return a;
}

static uint32_t ram_addr(struct emit *e)
{
	return FUZZ_CODE_BASE + rng_below(e->r, (uint32_t)e->p->ram_bytes - FUZZ_CODE_BASE);
}

/* --- Snippets: a few instructions each, valid in e->bits. --- */

static void sn_port(struct emit *e)
{
	static const unsigned sizes[] = { 1, 1, 1, 2, 4 };
	uint16_t port = pick_port(e);
	unsigned size = sizes[rng_below(e->r, 5)];

	mov_imm(e, R_EDX, port);
	if (rng_one_in(e->r, 2)) {
		mov_imm(e, R_EAX, port_value(e, port));
		io_dx(e, false, size);
	} else {
		io_dx(e, true, size);
	}
}

/* OUT imm8 of a byte: the common device-programming idiom. */
static void out8(struct emit *e, uint8_t port, uint8_t val)
{
	e8(e, 0xb0);
	e8(e, val);
	e8(e, 0xe6);
	e8(e, port);
}

static void in8(struct emit *e, uint8_t port)
{
	e8(e, 0xe4);
	e8(e, port);
}

/* REP INS/OUTS between a port and RAM. */
static void sn_string_io(struct emit *e)
{
	static const uint8_t ops[] = { 0x6c, 0x6d, 0x6e, 0x6f };

	mov_imm(e, R_EDX, pick_port(e));
	mov_imm(e, R_ECX, 1 + rng_below(e->r, 16));
	mov_imm(e, R_ESI, ram_addr(e));
	mov_imm(e, R_EDI, ram_addr(e));
	e8(e, 0xf3);
	e8(e, ops[rng_below(e->r, 4)]);
}

static void sn_msr(struct emit *e)
{
	uint32_t msr = pick_msr(e->r);

	mov_imm(e, R_ECX, msr);
	switch (rng_below(e->r, 3)) {
	case 0:         /* read */
		EMIT(e, "\x0f\x32");
		break;
	case 1:         /* read, flip a bit, write back */
		EMIT(e, "\x0f\x32");
		if (rng_one_in(e->r, 2))
			alu_eax(e, 0x35, 1u << rng_below(e->r, 32));
		else
			EMIT(e, "\x83\xf2\x01");  /* xor edx, 1 */
		EMIT(e, "\x0f\x30");
		break;
	default:        /* write a random value */
		mov_imm(e, R_EAX, rng_u32(e->r));
		mov_imm(e, R_EDX, rng_one_in(e->r, 2) ? 0 : rng_u32(e->r));
		EMIT(e, "\x0f\x30");
	}
}

static void sn_mmio(struct emit *e)
{
	static const unsigned sizes[] = { 1, 2, 4, 4, 4, 8 };
	unsigned size = sizes[rng_below(e->r, e->bits == 64 ? 6 : 5)];

	mov_imm(e, R_EBX, pick_mmio(e));
	mov_imm(e, R_EAX, rng_u32(e->r));
	mem_ebx(e, rng_one_in(e->r, 3), size);
}

/* Flips one bit of a control register. */
static void sn_cr(struct emit *e)
{
	static const unsigned crs[] = { 0, 0, 4, 4, 4, 3, 2, 8 };
	unsigned cr = crs[rng_below(e->r, e->bits == 64 ? 8 : 7)];

	mov_cr(e, false, cr);
	alu_eax(e, 0x35, 1u << rng_below(e->r, 32));
	mov_cr(e, true, cr);
}

static void sn_cpuid(struct emit *e)
{
	uint32_t leaf = rng_below(e->r, 0x20);

	if (rng_one_in(e->r, 3))
		leaf |= 0x80000000u;
	mov_imm(e, R_EAX, leaf);
	mov_imm(e, R_ECX, rng_below(e->r, 4));
	EMIT(e, "\x0f\xa2");
}

/* Opens an interrupt window: STI, then HLT or a few NOPs. */
static void sn_sti(struct emit *e)
{
	e8(e, 0xfb);
	if (rng_one_in(e->r, 2))
		e8(e, 0xf4);
	else
		EMIT(e, "\x90\x90\x90");
}

/* Loads random flags: TF, AC, NT, IOPL, RF and the rest. */
static void sn_flags(struct emit *e)
{
	o32(e);
	e8(e, 0x68);
	e32(e, (rng_u32(e->r) & 0x3f7fd5) | 2);
	o32(e);
	e8(e, 0x9d);
}

/* Debug registers: breakpoints on RAM, random DR7. */
static void sn_debug(struct emit *e)
{
	unsigned n = rng_below(e->r, 4);

	mov_imm(e, R_EAX, ram_addr(e));
	EMIT(e, "\x0f\x23");
	e8(e, 0xc0 | n << 3);
	mov_imm(e, R_EAX, rng_u32(e->r));
	EMIT(e, "\x0f\x23\xf8");   /* mov dr7, eax */
}

static void sn_int(struct emit *e)
{
	switch (rng_below(e->r, 4)) {
	case 0: e8(e, 0xcc); break;          /* INT3 */
	case 1: e8(e, 0xf1); break;          /* INT1 */
	case 2: EMIT(e, "\x0f\x0b"); break;  /* UD2 */
	default: e8(e, 0xcd); e8(e, rng_u32(e->r) & 0xff);
	}
}

static uint16_t pick_selector(struct rng *r)
{
	uint16_t index = (uint16_t)rng_below(r, 32);

	return (uint16_t)(index << 3 | rng_below(r, 8));
}

static void sn_sreg(struct emit *e)
{
	static const uint8_t movs[] = { 0xd8, 0xc0, 0xe0, 0xe8, 0xd0 };

	mov_imm(e, R_EAX, e->bits == 16 && rng_one_in(e->r, 2) ?
		rng_u32(e->r) & 0xffff : pick_selector(e->r));
	e8(e, 0x8e);
	e8(e, movs[rng_below(e->r, 5)]);
}

/* A far JMP or CALL through a random selector: gates, TSSs, LDT. */
static void sn_far(struct emit *e)
{
	uint16_t sel = pick_selector(e->r);
	uint32_t off = ram_addr(e);
	bool call = rng_one_in(e->r, 2);

	if (e->bits == 16) {
		e8(e, call ? 0x9a : 0xea);
		e16(e, off & 0xffff);
		e16(e, sel);
		return;
	}
	/* m16:32 at a scratch address, then JMP/CALL FAR [EBX]. */
	uint32_t scratch = ram_addr(e) & ~7u;
	mov_imm(e, R_EBX, scratch);
	mov_imm(e, R_EAX, off);
	mem_ebx(e, false, 4);
	mov_imm(e, R_EAX, sel);
	EMIT(e, "\x66\x89\x43\x04");   /* mov [ebx+4], ax */
	e8(e, 0xff);
	e8(e, call ? 0x1b : 0x2b);
}

/* VMXON with a region whose revision comes from IA32_VMX_BASIC. */
static void sn_vmx(struct emit *e)
{
	uint32_t region = ram_addr(e) & ~0xfffu, ptr = region + 0x800;

	mov_cr(e, false, 4);
	alu_eax(e, 0x0d, (uint32_t)CR4_VMXE);
	mov_cr(e, true, 4);
	mov_imm(e, R_ECX, 0x480);
	EMIT(e, "\x0f\x32");
	mov_imm(e, R_EBX, region);
	mem_ebx(e, false, 4);
	mov_imm(e, R_EBX, ptr);
	mov_imm(e, R_EAX, region);
	mem_ebx(e, false, 4);
	EMIT(e, "\xf3\x0f\xc7\x33");   /* vmxon [ebx] */
	switch (rng_below(e->r, 3)) {
	case 0: EMIT(e, "\x0f\x01\xc2"); break;   /* vmlaunch */
	case 1: EMIT(e, "\x0f\xc7\x33"); break;   /* vmptrld [ebx] */
	default: EMIT(e, "\x0f\x01\xc4");         /* vmxoff */
	}
}

/* x87/SSE/XSAVE state enabled, XCR0 set. */
static void sn_fpu(struct emit *e)
{
	mov_cr(e, false, 4);
	alu_eax(e, 0x0d, (uint32_t)(CR4_OSFXSR | CR4_OSXMMEXCPT |
				     (rng_one_in(e->r, 2) ? CR4_OSXSAVE : 0)));
	mov_cr(e, true, 4);
	mov_imm(e, R_ECX, 0);
	mov_imm(e, R_EAX, rng_below(e->r, 8));
	mov_imm(e, R_EDX, 0);
	EMIT(e, "\x0f\x01\xd1");       /* xsetbv */
	EMIT(e, "\xdb\xe3");           /* fninit */
}

/* REP STOS/MOVS over RAM, its end, or device MMIO. */
static void sn_rep_mem(struct emit *e)
{
	static const uint8_t ops[] = { 0xaa, 0xab, 0xa4, 0xa5 };

	mov_imm(e, R_EDI, pick_mmio(e));
	mov_imm(e, R_ESI, pick_mmio(e));
	mov_imm(e, R_ECX, rng_below(e->r, 0x400));
	mov_imm(e, R_EAX, rng_u32(e->r));
	e8(e, 0xf3);
	e8(e, ops[rng_below(e->r, 4)]);
}

/* A store into the code that follows it. */
static void sn_smc(struct emit *e)
{
	uint32_t at = (uint32_t)e->pc + 12 + rng_below(e->r, 24);

	mov_imm(e, R_EBX, at);
	mov_imm(e, R_EAX, rng_u32(e->r));
	mem_ebx(e, false, 4);
}

/* Writes a 32-bit MMIO register. */
static void mmio32(struct emit *e, uint32_t addr, uint32_t val)
{
	mov_imm(e, R_EBX, addr);
	mov_imm(e, R_EAX, val);
	mem_ebx(e, false, 4);
}

/* Device programming as a driver would do it, with random values. */
static void sn_device(struct emit *e)
{
	struct rng *r = e->r;
	uint8_t v = (uint8_t)rng_u32(r);

	switch (rng_below(r, e->bits == 16 ? 8 : 12)) {
	case 0: {   /* 8259 initialisation, master or slave */
		uint8_t base = rng_one_in(r, 2) ? 0x20 : 0xa0;
		out8(e, base, 0x11 | (v & 0x0a));
		out8(e, base + 1, (uint8_t)(rng_u32(r) & 0xf8));
		out8(e, base + 1, base == 0x20 ? 4 : 2);
		out8(e, base + 1, 1 | (v & 2));
		out8(e, base + 1, rng_one_in(r, 2) ? 0 : (uint8_t)rng_u32(r));
		break;
	}
	case 1:     /* PIT counter: mode, then the count */
		out8(e, 0x43, (uint8_t)(rng_below(r, 3) << 6 | 0x30 |
					(v & 0x0e)));
		v = (uint8_t)rng_u32(r);
		out8(e, (uint8_t)(0x40 + rng_below(r, 3)), v);
		out8(e, 0x40, (uint8_t)rng_below(r, 4));
		break;
	case 2:     /* RTC: rate, interrupts, read status C */
		out8(e, 0x70, 0x0a);
		out8(e, 0x71, 0x20 | (v & 0x0f));
		out8(e, 0x70, 0x0b);
		out8(e, 0x71, (uint8_t)rng_u32(r));
		out8(e, 0x70, 0x0c);
		in8(e, 0x71);
		break;
	case 3:     /* 16550: divisor, line, modem (loopback), data */
		mov_imm(e, R_EDX, PC_PORT_COM1 + 3);
		EMIT(e, "\xb0\x80\xee");
		mov_imm(e, R_EDX, PC_PORT_COM1);
		e8(e, 0xb0); e8(e, v & 3); e8(e, 0xee);
		mov_imm(e, R_EDX, PC_PORT_COM1 + 3);
		e8(e, 0xb0); e8(e, (uint8_t)rng_u32(r) & 0x7f); e8(e, 0xee);
		for (int i = 1; i <= 4; i++) {
			mov_imm(e, R_EDX, PC_PORT_COM1 + (i == 3 ? 0 : i));
			e8(e, 0xb0); e8(e, (uint8_t)rng_u32(r)); e8(e, 0xee);
		}
		break;
	case 4:     /* 8042: a command, its data byte, status */
		out8(e, 0x64, (uint8_t)port_value(e, PC_PORT_KBD_CMD));
		out8(e, 0x60, (uint8_t)rng_u32(r));
		in8(e, 0x64);
		in8(e, 0x60);
		break;
	case 5:     /* PCI configuration space */
		mov_imm(e, R_EDX, PC_PORT_PCI_ADDR);
		mov_imm(e, R_EAX, 0x80000000u | (rng_u32(r) & 0x00fffffc));
		io_dx(e, false, 4);
		mov_imm(e, R_EDX, PC_PORT_PCI_DATA + rng_below(r, 4));
		mov_imm(e, R_EAX, rng_u32(r));
		v = rng_one_in(r, 2);
		io_dx(e, v, 1u << rng_below(r, 3));
		break;
	case 6:     /* fw_cfg: a selector, then data bytes */
		mov_imm(e, R_EDX, PC_PORT_FW_CFG);
		mov_imm(e, R_EAX, rng_one_in(r, 2) ? rng_below(r, 0x20) :
			rng_u32(r) & 0xffff);
		io_dx(e, false, 2);
		mov_imm(e, R_EDX, PC_PORT_FW_CFG + 1);
		for (unsigned i = 1 + rng_below(r, 6); i; i--)
			io_dx(e, true, 1);
		break;
	case 7:     /* ACPI PM: enable, status, control, timer */
		mov_imm(e, R_EDX, PC_PORT_PM1A_EVT + 2 * rng_below(r, 2));
		mov_imm(e, R_EAX, rng_u32(r));
		io_dx(e, false, 2);
		mov_imm(e, R_EDX, PC_PORT_PM1A_CNT);
		mov_imm(e, R_EAX, port_value(e, PC_PORT_PM1A_CNT));
		io_dx(e, false, 2);
		mov_imm(e, R_EDX, PC_PORT_PM_TMR);
		io_dx(e, true, 4);
		break;
	case 8:     /* I/O APIC: select a register, write it */
		mmio32(e, IOAPIC_BASE, rng_one_in(r, 4) ? rng_below(r, 256) :
		       0x10 + rng_below(r, 48));
		mmio32(e, IOAPIC_BASE + 0x10, rng_one_in(r, 2) ?
		       rng_u32(r) : 0x20 + rng_below(r, 0xe0));
		break;
	case 9:     /* local APIC timer */
		mmio32(e, LAPIC_BASE + 0x3e0, rng_below(r, 16));
		v = (uint8_t)rng_below(r, 0xe0);
		mmio32(e, LAPIC_BASE + 0x320, (rng_u32(r) & 0x70000) |
		       (0x20u + v));
		mmio32(e, LAPIC_BASE + 0x380, rng_below(r, 0x4000));
		break;
	case 10:    /* an IPI: destination, then the command */
		mmio32(e, LAPIC_BASE + 0x310, rng_below(r, 4) << 24);
		mmio32(e, LAPIC_BASE + 0x300, rng_u32(r) & 0x000cc7ff);
		break;
	default:    /* spurious vector, TPR, EOI */
		mmio32(e, LAPIC_BASE + 0xf0, 0x100 | (rng_u32(r) & 0x10ff));
		mmio32(e, LAPIC_BASE + 0x80, rng_below(r, 256));
		mmio32(e, LAPIC_BASE + 0xb0, 0);
	}
}

/* x2APIC mode on, then a few of its registers through WRMSR. */
static void sn_x2apic(struct emit *e)
{
	static const uint16_t regs[] = { 0x808, 0x80b, 0x80f, 0x830, 0x832,
					 0x838, 0x83e, 0x83f };

	mov_imm(e, R_ECX, 0x1b);                     /* IA32_APIC_BASE */
	EMIT(e, "\x0f\x32");
	alu_eax(e, 0x0d, 0xc00);                     /* EN, EXTD */
	EMIT(e, "\x0f\x30");
	for (unsigned n = 1 + rng_below(e->r, 3); n; n--) {
		uint16_t reg = regs[rng_below(e->r, 8)];
		mov_imm(e, R_ECX, reg);
		mov_imm(e, R_EAX, reg == 0x830 ? rng_u32(e->r) & 0x000cc7ff :
			rng_u32(e->r) & 0x700ff);
		mov_imm(e, R_EDX, rng_below(e->r, 4));
		EMIT(e, "\x0f\x30");
	}
}

static uint16_t plausible_selector(struct rng *r)
{
	static const uint16_t sels[] = { 0x08, 0x10, 0x18, 0x20, 0x28, 0x30,
					 0x43, 0x4b, 0x53, 0x60 };

	return rng_one_in(r, 4) ? (uint16_t)rng_u32(r) : sels[rng_below(r, 10)];
}

/* SYSCALL/SYSRET and SYSENTER/SYSEXIT with their MSRs set. */
static void sn_fast_call(struct emit *e)
{
	static const char *const ops[] = { "\x0f\x05", "\x0f\x07",
					   "\x0f\x34", "\x0f\x35" };
	struct rng *r = e->r;
	/* STAR, LSTAR, CSTAR, FMASK, SYSENTER_CS, _ESP, _EIP; each value
	 * drawn in turn (an initializer list's order is unspecified). */
	static const uint32_t msrs[7] = { 0xc0000081, 0xc0000082, 0xc0000083,
					  0xc0000084, 0x174, 0x175, 0x176 };

	for (unsigned i = 0; i < 7; i++) {
		uint32_t lo = 0, hi = 0;
		if (rng_one_in(r, 3))
			continue;
		switch (i) {
		case 0:
			hi = plausible_selector(r);
			hi |= (uint32_t)plausible_selector(r) << 16;
			break;
		case 3:
			lo = rng_u32(r);
			break;
		case 4:
			lo = plausible_selector(r);
			break;
		default:
			lo = ram_addr(e);
		}
		mov_imm(e, R_ECX, msrs[i]);
		mov_imm(e, R_EAX, lo);
		mov_imm(e, R_EDX, hi);
		EMIT(e, "\x0f\x30");
	}
	mov_imm(e, R_ECX, 0xc0000080);                  /* EFER.SCE */
	EMIT(e, "\x0f\x32");
	alu_eax(e, 0x0d, 1);
	EMIT(e, "\x0f\x30");
	mov_imm(e, R_ECX, ram_addr(e));                 /* SYSRET/SYSEXIT rIP */
	mov_imm(e, R_EDX, ram_addr(e));
	if (e->bits == 64 && rng_one_in(e->r, 2))
		e8(e, 0x48);
	ebytes(e, ops[rng_below(r, 4)], 2);
}

/* A frame of random selectors and flags, then IRET or a far RET: every
 * privilege, mode (vm86 included) and task-return check. */
static void sn_far_return(struct emit *e)
{
	struct rng *r = e->r;
	uint32_t flags = (rng_u32(r) & 0x3f7fd5) | 2;

	if (rng_one_in(r, 4))
		flags |= 0x20000;                               /* VM */
	if (rng_one_in(r, 8))
		flags |= 0x4000;                                /* NT */
	uint32_t frame[5];                     /* SS, rSP, rFLAGS, CS, rIP */
	frame[0] = plausible_selector(r);
	frame[1] = ram_addr(e);
	frame[2] = flags;
	frame[3] = plausible_selector(r);
	frame[4] = ram_addr(e);
	for (unsigned i = 0; i < 5; i++) {
		if (e->bits == 16) {
			e8(e, 0x68);
			e16(e, frame[i] & 0xffff);
		} else {
			e8(e, 0x68);
			e32(e, frame[i] & 0x7fffffff);
		}
	}
	if (e->bits == 64 && rng_one_in(r, 2))
		e8(e, 0x48);
	switch (rng_below(r, 3)) {
	case 0: e8(e, 0xcf); break;                  /* IRET */
	case 1: e8(e, 0xcb); break;                  /* RETF */
	default: e8(e, 0xca); e16(e, rng_below(r, 16) * 2);   /* RETF imm16 */
	}
}

/* XSAVE family and FXSAVE/FXRSTOR on random memory. */
static void sn_xsave(struct emit *e)
{
	static const char *const ops[] = {
		"\x0f\xae\x2b", "\x0f\xae\x23", "\x0f\xae\x0b",
		"\x0f\xae\x03", "\x0f\xc7\x1b", "\x0f\xc7\x23",
		"\x0f\xae\x33", "\x0f\xc7\x2b",
	};

	sn_fpu(e);
	uint32_t area = ram_addr(e);
	mov_imm(e, R_EBX, area & ~(rng_one_in(e->r, 4) ? 0u : 63u));
	mov_imm(e, R_EAX, rng_one_in(e->r, 2) ? ~0u : rng_u32(e->r));
	mov_imm(e, R_EDX, rng_one_in(e->r, 2) ? ~0u : 0);
	if (e->bits == 64 && rng_one_in(e->r, 2))
		e8(e, 0x48);
	ebytes(e, ops[rng_below(e->r, 8)], 3);
}

static void emit_snippet(struct emit *e)
{
	bool flat = e->bits != 16;

	switch (rng_below(e->r, 28)) {
	case 0: case 1: case 2: sn_port(e); break;
	case 3: sn_string_io(e); break;
	case 4: case 5: sn_msr(e); break;
	case 6: case 7: case 8:
		if (flat)
			sn_mmio(e);
		else
			sn_port(e);
		break;
	case 9: sn_cr(e); break;
	case 10: sn_cpuid(e); break;
	case 11: case 12: sn_sti(e); break;
	case 13: sn_flags(e); break;
	case 14: sn_debug(e); break;
	case 15: sn_int(e); break;
	case 16: sn_sreg(e); break;
	case 17: sn_far(e); break;
	case 18: if (flat) sn_vmx(e); break;
	case 19: sn_fpu(e); break;
	case 20: if (flat) sn_rep_mem(e); break;
	case 21: if (flat) sn_smc(e); break;
	case 22: sn_x2apic(e); break;
	case 23: sn_fast_call(e); break;
	case 24: sn_far_return(e); break;
	case 25: if (flat) sn_xsave(e); break;
	default: sn_device(e); break;
	}
}

/* A few snippets at pc; random bytes take over after them. */
uint64_t fuzz_code_chain(uint8_t *ram, const struct fuzz_plan *p,
			 struct rng *r, uint64_t pc, int bits)
{
	struct emit e = { ram, p->ram_bytes, pc, bits, r, p };

	for (unsigned n = 2 + rng_below(r, 10); n; n--)
		emit_snippet(&e);
	return e.pc;
}
