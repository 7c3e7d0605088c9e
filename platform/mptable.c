/* The MP floating pointer and configuration table: one processor entry
 * per CPU (the first is the bootstrap processor), the ISA bus, the I/O
 * APIC, the ISA IRQs' inputs on it, and the local interrupts (the 8259
 * on LINT0 as ExtINT, NMI on LINT1). */
#include "platform/mptable.h"

#include <string.h>

#include "platform/acpi.h"
#include "platform/le.h"
#include "platform/pc_layout.h"

#define MP_ISA_IRQS 16
#define MP_IOAPIC_PIT_INPUT 2    /* IRQ 0 on input 2, as in the MADT */

static size_t mptable_size(unsigned ncpus)
{
	/* Processors, the bus, the I/O APIC, 15 ISA IRQs (IRQ 2, the
	 * cascade, has no input of its own) and 2 local interrupts. */
	return MPTABLE_FLOATING_SIZE + MPTABLE_HEADER_SIZE +
	       20 * (size_t)ncpus + 8 + 8 + 8 * (MP_ISA_IRQS - 1) + 8 * 2;
}

static uint8_t *mp_ioint(uint8_t *e, uint8_t type, uint16_t flags,
			 uint8_t irq, uint8_t input)
{
	e[0] = MP_ENTRY_IOINT;
	e[1] = type;
	le16_put(e + 2, flags);
	e[4] = MPTABLE_ISA_BUS;
	e[5] = irq;
	e[6] = PC_IOAPIC_ID;
	e[7] = input;
	return e + 8;
}

static uint8_t *mp_lint(uint8_t *e, uint8_t type, uint8_t lint)
{
	e[0] = MP_ENTRY_LINT;
	e[1] = type;
	le16_put(e + 2, MP_FLAGS_CONFORMS);
	e[4] = MPTABLE_ISA_BUS;
	e[5] = 0;
	e[6] = MP_ALL_LAPICS;
	e[7] = lint;
	return e + 8;
}

size_t mptable_build(const struct mptable_config *cfg, uint64_t base,
		     uint8_t *buf, size_t len)
{
	unsigned ncpus = cfg->ncpus ? cfg->ncpus : 1;
	size_t size = mptable_size(ncpus);
	uint8_t *mpf = buf, *mpc = buf + MPTABLE_FLOATING_SIZE;
	uint8_t *e = mpc + MPTABLE_HEADER_SIZE;
	unsigned count = 0;

	if (len < size)
		return 0;

	for (unsigned i = 0; i < ncpus; i++, e += 20, count++) {
		e[0] = MP_ENTRY_PROCESSOR;
		e[1] = (uint8_t)i;                  /* local APIC ID */
		e[2] = MPTABLE_LAPIC_VERSION;
		e[3] = (uint8_t)(MP_CPU_EN | (i == 0 ? MP_CPU_BP : 0));
		le32_put(e + 4, cfg->cpu_signature);
		le32_put(e + 8, cfg->cpu_features);
	}

	e[0] = MP_ENTRY_BUS;
	e[1] = MPTABLE_ISA_BUS;
	memcpy(e + 2, "ISA   ", 6);
	e += 8;
	count++;

	e[0] = MP_ENTRY_IOAPIC;
	e[1] = PC_IOAPIC_ID;
	e[2] = MPTABLE_IOAPIC_VERSION;
	e[3] = MP_IOAPIC_EN;
	le32_put(e + 4, (uint32_t)PC_IOAPIC_BASE);
	e += 8;
	count++;

	for (unsigned irq = 0; irq < MP_ISA_IRQS; irq++) {
		if (irq == PC_IRQ_CASCADE)
			continue;
		e = mp_ioint(e, MP_INT, irq == PC_IRQ_SCI ?
			     MP_FLAGS_HIGH_LEVEL : MP_FLAGS_CONFORMS,
			     (uint8_t)irq, (uint8_t)(irq == PC_IRQ_PIT ?
			     MP_IOAPIC_PIT_INPUT : irq));
		count++;
	}
	e = mp_lint(e, MP_EXTINT, 0);
	e = mp_lint(e, MP_NMI, 1);
	count += 2;

	memcpy(mpc, "PCMP", 4);
	le16_put(mpc + MPC_LENGTH, (uint16_t)(size - MPTABLE_FLOATING_SIZE));
	mpc[MPC_SPEC_REV] = MPTABLE_SPEC_REV;
	memcpy(mpc + MPC_OEM_ID, ACPI_OEM_ID "  ", 8);
	memcpy(mpc + MPC_PRODUCT_ID, "PC          ", 12);
	le16_put(mpc + MPC_ENTRY_COUNT, (uint16_t)count);
	le32_put(mpc + MPC_LAPIC_ADDR, (uint32_t)PC_LAPIC_BASE);
	mpc[MPC_CHECKSUM] = acpi_checksum(mpc, size - MPTABLE_FLOATING_SIZE);

	memcpy(mpf, "_MP_", 4);
	le32_put(mpf + MPF_PHYSPTR, (uint32_t)(base + MPTABLE_FLOATING_SIZE));
	mpf[MPF_LENGTH] = 1;
	mpf[MPF_SPEC_REV] = MPTABLE_SPEC_REV;
	/* Feature bytes 0: the table above is the configuration, and the
	 * interrupt mode is virtual wire (no IMCR). */
	mpf[MPF_CHECKSUM] = acpi_checksum(mpf, MPTABLE_FLOATING_SIZE);
	return size;
}
