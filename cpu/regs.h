/* Architectural bits of the control registers, EFER and the debug
 * registers (SDM Vol. 3A 2.5, 2.2.1; Vol. 3B 18.2), named once for every
 * file that needs them. RFLAGS bits are in cpu/flags.h. */
#ifndef CPU_REGS_H
#define CPU_REGS_H

#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)

/* MOV to CR3 with CR4.PCIDE = 1: bit 63 of the source operand means "do
 * not invalidate" (SDM Vol. 3A 4.10.4.1). */
#define CR3_NOFLUSH (1ull << 63)

#define CR4_VME (1ull << 0)
#define CR4_PVI (1ull << 1)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_MCE (1ull << 6)
#define CR4_PGE (1ull << 7)
#define CR4_PCE (1ull << 8)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_UMIP (1ull << 11)
#define CR4_LA57 (1ull << 12)
#define CR4_VMXE (1ull << 13)
#define CR4_SMXE (1ull << 14)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define CR4_PKE (1ull << 22)
#define CR4_CET (1ull << 23)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define EFER_FFXSR (1ull << 14)

#define DR6_B0 (1ull << 0)
#define DR6_BD (1ull << 13)
#define DR6_BS (1ull << 14)
#define DR6_BT (1ull << 15)
#define DR7_GD (1ull << 13)
/* L0 G0 .. L3 G3 */
#define DR7_ENABLE_BITS 0xffull

#endif
