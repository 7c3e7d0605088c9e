/* The PC's physical memory map, as the BIOS E820 call reports it: the
 * machine's RAM, and the ranges that firmware and devices keep. One
 * source for the multiboot memory map and the Linux e820 table. */
#ifndef PLATFORM_E820_H
#define PLATFORM_E820_H

#include <stdbool.h>
#include <stdint.h>

#include "platform/ram.h"

/* Range types (ACPI 6.x 15, "System Address Map Interfaces"). */
#define E820_RAM 1
#define E820_RESERVED 2
#define E820_ACPI 3

#define E820_MAX_ENTRIES 16

/* Reserved below 1 MiB: the extended BIOS data area (the last KiB below
 * 640 KiB) up to the end of the BIOS area. The firmware tables (ACPI,
 * MP) live in the BIOS area, so this range also covers them. */
#define E820_EBDA 0x9fc00ull
#define E820_BIOS_END 0x100000ull

/* Reserved MMIO above low RAM. */
#define E820_IOAPIC_SIZE 0x1000ull
#define E820_LAPIC_SIZE 0x1000ull
#define E820_TESTDEV_SIZE 0x10000ull  /* pc-testdev scratch RAM */

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

/* Entries in address order, none overlapping. */
struct e820_map {
	unsigned count;
	struct e820_entry entry[E820_MAX_ENTRIES];
};

/* The map of a machine with this RAM. */
void e820_build(const struct ram *ram, struct e820_map *map);

/* True if [addr, addr + len) lies inside one E820_RAM entry. */
bool e820_is_ram(const struct e820_map *map, uint64_t addr, uint64_t len);

/* "usable", "reserved", "ACPI data" or "type N" (static storage for an
 * unknown type, overwritten by the next such call). */
const char *e820_type_name(uint32_t type);

#endif
