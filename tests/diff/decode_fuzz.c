/* Decoder fuzz against Zydis: random byte strings (fixed seed) shaped
 * like instructions (legacy prefixes, REX, the 0F/0F 38/0F 3A escapes,
 * VEX, EVEX and XOP headers, random everything else) decoded in 16-, 32-
 * and 64-bit code by both. Wherever Zydis decodes an instruction, our
 * length must be the same. Zydis's failures (reserved opcodes, LOCK or
 * prefix misuse, more than 15 bytes) are counted and skipped: there the
 * SDM leaves us free to raise #UD at any length. */
#include <Zydis/Zydis.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/decode.h"
#include "tests/diff/lib/zydis_quirks.h"

/* The default run; "decode_fuzz CASES [SEED]" runs CASES per mode. */
#define CASES_PER_MODE 4000000
#define SEED 0x5eed0f0f0decu
#define MAX_SHOWN 50

static uint64_t rng_state = SEED;

/* xorshift64*: fast, and the same sequence on every host. */
static uint32_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

static const uint8_t legacy_prefixes[] = {
	0xf0, 0xf2, 0xf3, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65, 0x66, 0x67,
};

/* Fills b[0..15) with one instruction-shaped random string. */
static void make_case(uint8_t *b, unsigned code_size)
{
	unsigned n = 0;
	for (unsigned k = 0; k < 15; k++)
		b[k] = (uint8_t)rng();
	unsigned r = rng();
	unsigned npfx = (r & 3) == 0 ? rng() % 5 : 0;
	for (unsigned k = 0; k < npfx; k++)
		b[n++] = legacy_prefixes[rng() % sizeof legacy_prefixes];
	if (code_size == 8 && (r & 4))
		b[n++] = 0x40 | (rng() & 15);
	switch ((r >> 3) % 16) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		break; /* one-byte map: the random opcode */
	case 6: case 7: case 8:
		b[n++] = 0x0f;
		break;
	case 9:
		b[n++] = 0x0f;
		b[n++] = 0x38;
		break;
	case 10:
		b[n++] = 0x0f;
		b[n++] = 0x3a;
		break;
	case 11:
		b[n++] = 0xc5;
		if (r & 0x100)
			b[n] |= 0xc0; /* legacy modes: VEX only with mod = 3 */
		break;
	case 12:
		b[n++] = 0xc4;
		if (r & 0x100)
			b[n] |= 0xc0;
		b[n] = (uint8_t)((b[n] & 0xe0) | (1 + rng() % 3));
		break;
	case 13: case 14:
		b[n++] = 0x62;
		if (r & 0x100)
			b[n] |= 0xc0;
		/* P0 bit 3 = 0, P1 bit 2 = 1, map 1-3, 5, 6 mostly */
		b[n] = (uint8_t)((b[n] & 0xf0) | "\1\2\3\5\6\1\2\4"[rng() % 8]);
		b[n + 1] |= 4;
		break;
	default:
		b[n++] = 0x8f;
		b[n] = (uint8_t)((b[n] & 0xe0) | (8 + rng() % 3));
		break;
	}
}

int main(int argc, char **argv)
{
	unsigned long per_mode = argc > 1 ? strtoul(argv[1], NULL, 0) :
					   CASES_PER_MODE;
	if (argc > 2)
		rng_state = strtoull(argv[2], NULL, 0) | 1;
	static const struct {
		unsigned code_size;
		ZydisMachineMode mode;
		ZydisStackWidth stack;
	} modes[3] = {
		{ 2, ZYDIS_MACHINE_MODE_LEGACY_16, ZYDIS_STACK_WIDTH_16 },
		{ 4, ZYDIS_MACHINE_MODE_LEGACY_32, ZYDIS_STACK_WIDTH_32 },
		{ 8, ZYDIS_MACHINE_MODE_LONG_64, ZYDIS_STACK_WIDTH_64 },
	};
	unsigned long cases = 0, decoded = 0, skipped = 0, mismatches = 0;
	unsigned long ours_ud = 0, quirk_count[DIFF_ZYDIS_QUIRKS] = { 0 };
	for (unsigned m = 0; m < 3; m++) {
		ZydisDecoder zd;
		if (ZYAN_FAILED(ZydisDecoderInit(&zd, modes[m].mode, modes[m].stack))) {
			fprintf(stderr, "decode_fuzz: ZydisDecoderInit failed\n");
			return 2;
		}
		for (unsigned long k = 0; k < per_mode; k++) {
			uint8_t b[15];
			make_case(b, modes[m].code_size);
			cases++;
			ZydisDecodedInstruction zi;
			if (ZYAN_FAILED(ZydisDecoderDecodeInstruction(&zd, NULL, b, sizeof b, &zi))) {
				skipped++;
				continue;
			}
			decoded++;
			struct insn i;
			int len = decode_insn(&i, b, sizeof b, modes[m].code_size);
			if (len > 0 && i.id == INSN_INVALID)
				ours_ud++;
			if (len == zi.length)
				continue;
			int q = diff_zydis_quirk(zi.mnemonic);
			if (q >= 0) {
				quirk_count[q]++;
				continue;
			}
			if (mismatches++ < MAX_SHOWN) {
				printf("mismatch: %u-bit", modes[m].code_size * 8);
				for (unsigned j = 0; j < sizeof b; j++)
					printf(" %02x", b[j]);
				printf(": ours %d, Zydis %u (%s)\n", len, zi.length,
				       ZydisMnemonicGetString(zi.mnemonic));
			}
		}
	}
	printf("SUMMARY: decoder fuzz: %lu cases (16/32/64-bit), %lu decoded by "
	       "Zydis and compared (%lu of them not executed by this CPU model), "
	       "%lu skipped, "
	       "%lu mismatches\n", cases, decoded, ours_ud, skipped, mismatches);
	for (unsigned k = 0; k < DIFF_ZYDIS_QUIRKS; k++)
		printf("SUMMARY: decoder fuzz: %lu known Zydis differences: %s\n",
		       quirk_count[k], diff_zydis_quirks[k].why);
	return mismatches ? 1 : 0;
}
