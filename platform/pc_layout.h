/* Where things are on the PC this machine models: ports, interrupt lines
 * and fixed physical addresses that devices, loaders and firmware tables
 * must agree on. */
#ifndef PLATFORM_PC_LAYOUT_H
#define PLATFORM_PC_LAYOUT_H

/* ISA interrupt lines. */
#define PC_IRQ_PIT 0
#define PC_IRQ_KBD 1
#define PC_IRQ_CASCADE 2
#define PC_IRQ_COM2 3
#define PC_IRQ_COM1 4
#define PC_IRQ_RTC 8
#define PC_IRQ_SCI 9       /* ACPI system control interrupt */
#define PC_IRQ_MOUSE 12
#define PC_IRQ_FPU 13      /* FERR# */

/* I/O APIC inputs (global system interrupts): ISA IRQ n is GSI n, but
 * for IRQ 0 (the PIT), which is GSI 2, as on QEMU's PC; the MADT says so
 * with an interrupt source override (ACPI 6.5 5.2.12.5). IRQ 2, the
 * 8259 cascade, reaches no GSI. Lines 16-23 are GSIs 16-23. */
#define PC_IOAPIC_PINS 24
#define PC_GSI_PIT 2
#define PC_GSI_OF_IRQ(irq)                                              \
	((irq) == PC_IRQ_PIT ? PC_GSI_PIT :                             \
	 (irq) == PC_IRQ_CASCADE ? -1 : (int)(irq))

/* Ports. */
#define PC_PORT_PIC_MASTER 0x20
#define PC_PORT_PIT 0x40
#define PC_PORT_KBD_DATA 0x60
#define PC_PORT_SYS_CTRL_B 0x61  /* PIT gate 2, speaker, refresh */
#define PC_PORT_KBD_CMD 0x64
#define PC_PORT_RTC 0x70
#define PC_PORT_SYS_CTRL_A 0x92  /* fast A20, fast reset */
#define PC_PORT_PIC_SLAVE 0xa0
#define PC_PORT_TESTDEV 0xe0     /* QEMU pc-testdev: 0xe0-0xef */
#define PC_PORT_DEBUGCON 0xe9
#define PC_PORT_IGNNE 0xf0       /* write: clear FERR# (IGNNE#) */
#define PC_PORT_DEBUG_EXIT 0xf4
#define PC_PORT_COM2 0x2f8
#define PC_PORT_COM1 0x3f8
#define PC_PORT_ELCR 0x4d0       /* 0x4d0-0x4d1 */
#define PC_PORT_FW_CFG 0x510     /* selector; 0x511 data */
#define PC_PORT_PCI_ADDR 0xcf8
#define PC_PORT_RESET 0xcf9
#define PC_PORT_PCI_DATA 0xcfc
#define PC_PORT_TESTDEV_IRQ 0x2000 /* pc-testdev IRQ lines 0x2000-0x2017 */
#define PC_PORT_SHUTDOWN 0x8900  /* "Shutdown" string ends the run */
#define PC_PORT_ACPI_PM 0xb000   /* PM1a event, control, timer */
#define PC_PORT_PM1A_EVT (PC_PORT_ACPI_PM + 0x00)
#define PC_PORT_PM1A_CNT (PC_PORT_ACPI_PM + 0x04)
#define PC_PORT_PM_TMR (PC_PORT_ACPI_PM + 0x08)
/* SLP_TYP that PM1a_CNT takes for S5 (soft off); the DSDT's \_S5 package
 * gives it to the guest (ACPI 6.x 7.4.2). */
#define PC_SLP_TYP_S5 0

/* Physical addresses. */
#define PC_BIOS_AREA 0xe0000ull      /* ACPI RSDP lives in E0000-FFFFF */
#define PC_PCI_HOLE 0xc0000000ull    /* MMIO below 4 GiB starts here */
#define PC_IOAPIC_BASE 0xfec00000ull
#define PC_IOAPIC_ID 0             /* its ID register's reset value */
#define PC_LAPIC_BASE 0xfee00000ull
#define PC_TESTDEV_RAM 0xff000000ull /* pc-testdev 64 KiB scratch */

#endif
