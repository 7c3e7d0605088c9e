/* The memory map: RAM below 4 GiB with the BIOS hole cut out, the MMIO
 * the PC's devices decode, and RAM above 4 GiB. */
#include "platform/e820.h"

#include <stdio.h>

#include "platform/pc_layout.h"

static void e820_add(struct e820_map *map, uint64_t addr, uint64_t size,
		     uint32_t type)
{
	if (size == 0 || map->count == E820_MAX_ENTRIES)
		return;
	map->entry[map->count++] = (struct e820_entry){ addr, size, type };
}

void e820_build(const struct ram *ram, struct e820_map *map)
{
	uint64_t low = ram_low_end(ram);

	map->count = 0;
	e820_add(map, 0, low < E820_EBDA ? low : E820_EBDA, E820_RAM);
	/* A PC's BIOS area is never RAM to the OS, whatever backs it. */
	e820_add(map, E820_EBDA, E820_BIOS_END - E820_EBDA, E820_RESERVED);
	if (low > E820_BIOS_END)
		e820_add(map, E820_BIOS_END, low - E820_BIOS_END, E820_RAM);
	/* Low RAM ends at 3.5 GiB at most (platform/ram.h), below all of
	 * these. */
	e820_add(map, PC_IOAPIC_BASE, E820_IOAPIC_SIZE, E820_RESERVED);
	e820_add(map, PC_LAPIC_BASE, E820_LAPIC_SIZE, E820_RESERVED);
	e820_add(map, PC_TESTDEV_RAM, E820_TESTDEV_SIZE, E820_RESERVED);
	if (ram_high_size(ram))
		e820_add(map, RAM_HIGH_BASE, ram_high_size(ram), E820_RAM);
}

bool e820_is_ram(const struct e820_map *map, uint64_t addr, uint64_t len)
{
	for (unsigned i = 0; i < map->count; i++) {
		const struct e820_entry *e = &map->entry[i];

		uint64_t off = addr - e->addr;

		if (e->type == E820_RAM && addr >= e->addr && off <= e->size &&
		    len <= e->size - off)
			return true;
	}
	return false;
}

const char *e820_type_name(uint32_t type)
{
	static char buf[24];

	switch (type) {
	case E820_RAM:
		return "usable";
	case E820_RESERVED:
		return "reserved";
	case E820_ACPI:
		return "ACPI data";
	}
	snprintf(buf, sizeof(buf), "type %u", (unsigned)type);
	return buf;
}
