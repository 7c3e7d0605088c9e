/* The ACPI tables, laid out one after another in one area:
 *   RSDP  (first, so that it sits on the area's 16-byte boundary)
 *   FACS  (64-byte aligned), XSDT, RSDT, FADT, DSDT, MADT
 * Every table is written field by field at the offsets ACPI 6.0 gives,
 * then checksummed. */
#include "platform/acpi.h"

#include <string.h>

#include "platform/le.h"
#include "platform/pc_layout.h"

#define ACPI_OEM_TABLE_ID "VMXSIMPC"
#define ACPI_CREATOR_ID "VMXS"
#define ACPI_FADT_REVISION 6
#define ACPI_MADT_REVISION 3     /* ACPI 6.0 */
/* Revision 2 DSDT: AML integers are 64 bits. */
#define ACPI_DSDT_REVISION 2
#define ACPI_FACS_VERSION 2
#define ISA_IRQ_PIT 0
#define IOAPIC_GSI_PIT 2         /* IRQ 0 is wired to I/O APIC input 2 */
#define LAPIC_LINT1 1

/* AML opcodes and prefixes (ACPI 6.0 20.2). */
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c       /* '\' */

struct acpi_area {
	uint8_t *buf;
	size_t len;
	size_t used;
	uint64_t base;
	int overflow;
};

uint8_t acpi_checksum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return (uint8_t)-sum;
}

/* Room for n bytes at the next multiple of align; NULL on overflow. */
static uint8_t *acpi_alloc(struct acpi_area *a, size_t n, size_t align,
			   uint64_t *pa)
{
	size_t at = (a->used + align - 1) & ~(align - 1);

	if (at > a->len || n > a->len - at) {
		a->overflow = 1;
		return NULL;
	}
	a->used = at + n;
	*pa = a->base + at;
	return a->buf + at;
}

static void acpi_header(uint8_t *t, const char *sig, uint32_t len,
			uint8_t rev)
{
	memcpy(t, sig, 4);
	le32_put(t + ACPI_HDR_LENGTH, len);
	t[ACPI_HDR_REVISION] = rev;
	memcpy(t + 10, ACPI_OEM_ID, 6);
	memcpy(t + 16, ACPI_OEM_TABLE_ID, 8);
	le32_put(t + 24, 1);               /* OEM revision */
	memcpy(t + 28, ACPI_CREATOR_ID, 4);
	le32_put(t + 32, 1);               /* creator revision */
}

static void acpi_finish(uint8_t *t)
{
	t[ACPI_HDR_CHECKSUM] = 0;
	t[ACPI_HDR_CHECKSUM] = acpi_checksum(t, le32_get(t + ACPI_HDR_LENGTH));
}

/* A generic address structure for a port range. */
static void acpi_gas_io(uint8_t *g, uint16_t port, unsigned bytes,
			unsigned access_size)
{
	g[0] = ACPI_GAS_SYSTEM_IO;
	g[1] = (uint8_t)(bytes * 8);
	g[2] = 0;
	g[3] = (uint8_t)access_size;  /* 1 byte, 2 word, 3 dword */
	le64_put(g + 4, port);
}

static void acpi_build_facs(uint8_t *t)
{
	memcpy(t, "FACS", 4);
	le32_put(t + 4, ACPI_FACS_SIZE);
	/* Hardware signature 0, no waking vector, no global lock, no
	 * flags: nothing here changes across a boot. */
	t[32] = ACPI_FACS_VERSION;
}

static void acpi_build_fadt(uint8_t *t, uint64_t facs, uint64_t dsdt)
{
	acpi_header(t, "FACP", ACPI_FADT_SIZE, ACPI_FADT_REVISION);
	/* The FACS only in X_FIRMWARE_CTRL: an OS that reads both pointers
	 * would otherwise take it as two tables (5.2.9 lets the 64-bit one
	 * stand alone). The DSDT is in both, as every OS can read one. */
	le32_put(t + FADT_FIRMWARE_CTRL, 0);
	le32_put(t + FADT_DSDT, (uint32_t)dsdt);
	le16_put(t + FADT_SCI_INT, PC_IRQ_SCI);
	/* SMI_CMD 0: the hardware is always in ACPI mode, so the OS never
	 * needs the ACPI_ENABLE handshake (5.2.9). */
	le32_put(t + FADT_SMI_CMD, 0);
	le32_put(t + FADT_PM1A_EVT_BLK, PC_PORT_PM1A_EVT);
	le32_put(t + FADT_PM1A_CNT_BLK, PC_PORT_PM1A_CNT);
	le32_put(t + FADT_PM_TMR_BLK, PC_PORT_PM_TMR);
	t[FADT_PM1_EVT_LEN] = ACPI_PM1_EVT_LEN;
	t[FADT_PM1_CNT_LEN] = ACPI_PM1_CNT_LEN;
	t[FADT_PM_TMR_LEN] = ACPI_PM_TMR_LEN;
	/* No GPE blocks, no C2/C3 (latencies above 100/1000 us say "not
	 * supported"), no century register. */
	le16_put(t + 96, 101);
	le16_put(t + 98, 1001);
	le16_put(t + FADT_IAPC_BOOT_ARCH, FADT_BOOT_LEGACY_DEVICES |
		 FADT_BOOT_8042 | FADT_BOOT_VGA_NOT_PRESENT);
	/* The PM timer is described as 24 bits wide (TMR_VAL_EXT clear),
	 * which is right for a 24- or a 32-bit counter: the OS masks. */
	le32_put(t + FADT_FLAGS, FADT_F_WBINVD | FADT_F_PROC_C1 |
		 FADT_F_PWR_BUTTON | FADT_F_SLP_BUTTON | FADT_F_RESET_REG_SUP);
	acpi_gas_io(t + FADT_RESET_REG, PC_PORT_RESET, 1, 1);
	t[FADT_RESET_VALUE] = ACPI_RESET_VALUE;
	t[FADT_MINOR_VERSION] = 0;
	le64_put(t + FADT_X_FIRMWARE_CTRL, facs);
	le64_put(t + FADT_X_DSDT, dsdt);
	acpi_gas_io(t + FADT_X_PM1A_EVT_BLK, PC_PORT_PM1A_EVT,
		    ACPI_PM1_EVT_LEN, 2);
	acpi_gas_io(t + FADT_X_PM1A_CNT_BLK, PC_PORT_PM1A_CNT,
		    ACPI_PM1_CNT_LEN, 2);
	acpi_gas_io(t + FADT_X_PM_TMR_BLK, PC_PORT_PM_TMR, ACPI_PM_TMR_LEN, 3);
	acpi_finish(t);
}

/* One AML integer: ZeroOp, OneOp or BytePrefix + byte (20.2.3). */
static size_t aml_byte_const(uint8_t *p, uint8_t v)
{
	if (v == 0 || v == 1) {
		p[0] = v == 0 ? AML_ZERO_OP : AML_ONE_OP;
		return 1;
	}
	p[0] = AML_BYTE_PREFIX;
	p[1] = v;
	return 2;
}

/* The DSDT's AML: only what the OS needs to power off.
 *   Name (\_S5, Package (4) { SLP_TYPa, SLP_TYPb, 0, 0 })
 * (7.4.2: the \_Sx objects give the SLP_TYP values for PM1a_CNT and
 * PM1b_CNT; the other two are reserved.) Returns its length. */
static size_t aml_s5(uint8_t *p)
{
	size_t n = 0, pkg;

	p[n++] = AML_NAME_OP;
	p[n++] = AML_ROOT_CHAR;
	memcpy(p + n, "_S5_", 4);           /* NameSeg, padded with '_' */
	n += 4;
	p[n++] = AML_PACKAGE_OP;
	pkg = n++;                          /* PkgLength: one byte (< 64) */
	p[n++] = 4;                         /* NumElements */
	n += aml_byte_const(p + n, PC_SLP_TYP_S5);
	n += aml_byte_const(p + n, PC_SLP_TYP_S5);
	n += aml_byte_const(p + n, 0);
	n += aml_byte_const(p + n, 0);
	/* PkgLength counts itself and what follows it (20.2.4). */
	p[pkg] = (uint8_t)(n - pkg);
	return n;
}

#define AML_S5_MAX 16

static size_t acpi_madt_size(unsigned ncpus)
{
	return MADT_ENTRIES + 8 * (size_t)ncpus + 12 + 2 * 10 + 6;
}

static void acpi_build_madt(uint8_t *t, unsigned ncpus)
{
	uint32_t len = (uint32_t)acpi_madt_size(ncpus);
	uint8_t *e = t + MADT_ENTRIES;

	acpi_header(t, "APIC", len, ACPI_MADT_REVISION);
	le32_put(t + MADT_LAPIC_ADDR, (uint32_t)PC_LAPIC_BASE);
	le32_put(t + MADT_FLAGS, MADT_PCAT_COMPAT);
	for (unsigned i = 0; i < ncpus; i++, e += 8) {
		e[0] = MADT_TYPE_LAPIC;
		e[1] = 8;
		e[2] = (uint8_t)i;          /* ACPI processor UID */
		e[3] = (uint8_t)i;          /* APIC ID */
		le32_put(e + 4, MADT_LAPIC_ENABLED);
	}
	e[0] = MADT_TYPE_IOAPIC;
	e[1] = 12;
	e[2] = PC_IOAPIC_ID;
	le32_put(e + 4, (uint32_t)PC_IOAPIC_BASE);
	le32_put(e + 8, 0);                 /* GSI base */
	e += 12;
	/* The PIT's IRQ 0 arrives on input 2, as on PCs whose input 0
	 * takes the 8259's INTR; edge, active high as ISA is. */
	e[0] = MADT_TYPE_ISO;
	e[1] = 10;
	e[2] = 0;                           /* bus: ISA */
	e[3] = ISA_IRQ_PIT;
	le32_put(e + 4, IOAPIC_GSI_PIT);
	le16_put(e + 8, MADT_INTI_CONFORMS);
	e += 10;
	/* The SCI is level-triggered, active high (5.2.9: "sharable,
	 * level, active low" is for PCI; on ISA IRQ 9 it is high). */
	e[0] = MADT_TYPE_ISO;
	e[1] = 10;
	e[2] = 0;
	e[3] = PC_IRQ_SCI;
	le32_put(e + 4, PC_IRQ_SCI);
	le16_put(e + 8, MADT_INTI_HIGH_LEVEL);
	e += 10;
	/* NMI comes in on LINT1 of every local APIC. */
	e[0] = MADT_TYPE_LAPIC_NMI;
	e[1] = 6;
	e[2] = MADT_ALL_PROCESSORS;
	le16_put(e + 3, MADT_INTI_CONFORMS);
	e[5] = LAPIC_LINT1;
	acpi_finish(t);
}

int acpi_build(const struct acpi_config *cfg, uint64_t base, uint8_t *buf,
	       size_t len, struct acpi_tables *out)
{
	struct acpi_area a = { .buf = buf, .len = len, .base = base };
	uint8_t *rsdp, *facs, *xsdt, *rsdt, *fadt, *dsdt, *madt;
	uint8_t aml[AML_S5_MAX];
	size_t aml_len = aml_s5(aml);
	unsigned ncpus = cfg->ncpus ? cfg->ncpus : 1;

	memset(out, 0, sizeof(*out));
	rsdp = acpi_alloc(&a, ACPI_RSDP_SIZE, 16, &out->rsdp);
	facs = acpi_alloc(&a, ACPI_FACS_SIZE, 64, &out->facs);
	xsdt = acpi_alloc(&a, ACPI_HEADER_SIZE + 2 * 8, 16, &out->xsdt);
	rsdt = acpi_alloc(&a, ACPI_HEADER_SIZE + 2 * 4, 16, &out->rsdt);
	fadt = acpi_alloc(&a, ACPI_FADT_SIZE, 16, &out->fadt);
	dsdt = acpi_alloc(&a, ACPI_HEADER_SIZE + aml_len, 16, &out->dsdt);
	madt = acpi_alloc(&a, acpi_madt_size(ncpus), 16, &out->madt);
	if (a.overflow)
		return -1;
	out->size = a.used;

	acpi_build_facs(facs);
	acpi_build_fadt(fadt, out->facs, out->dsdt);

	acpi_header(dsdt, "DSDT", (uint32_t)(ACPI_HEADER_SIZE + aml_len),
		    ACPI_DSDT_REVISION);
	memcpy(dsdt + ACPI_HEADER_SIZE, aml, aml_len);
	acpi_finish(dsdt);

	acpi_build_madt(madt, ncpus);

	/* The root tables list FADT and MADT; the FADT leads to the FACS
	 * and DSDT. */
	acpi_header(xsdt, "XSDT", ACPI_HEADER_SIZE + 2 * 8, 1);
	le64_put(xsdt + ACPI_HEADER_SIZE, out->fadt);
	le64_put(xsdt + ACPI_HEADER_SIZE + 8, out->madt);
	acpi_finish(xsdt);
	acpi_header(rsdt, "RSDT", ACPI_HEADER_SIZE + 2 * 4, 1);
	le32_put(rsdt + ACPI_HEADER_SIZE, (uint32_t)out->fadt);
	le32_put(rsdt + ACPI_HEADER_SIZE + 4, (uint32_t)out->madt);
	acpi_finish(rsdt);

	memcpy(rsdp, "RSD PTR ", 8);
	memcpy(rsdp + ACPI_RSDP_OEMID, ACPI_OEM_ID, 6);
	rsdp[ACPI_RSDP_REVISION] = 2;
	le32_put(rsdp + ACPI_RSDP_RSDT, (uint32_t)out->rsdt);
	le32_put(rsdp + ACPI_RSDP_LENGTH, ACPI_RSDP_SIZE);
	le64_put(rsdp + ACPI_RSDP_XSDT, out->xsdt);
	rsdp[ACPI_RSDP_CHECKSUM] = acpi_checksum(rsdp, 20);
	rsdp[ACPI_RSDP_EXT_CHECKSUM] = acpi_checksum(rsdp, ACPI_RSDP_SIZE);
	return 0;
}
