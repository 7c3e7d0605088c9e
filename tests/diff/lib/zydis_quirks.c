#include "tests/diff/lib/zydis_quirks.h"

const struct diff_zydis_quirk diff_zydis_quirks[DIFF_ZYDIS_QUIRKS] = {
	{ ZYDIS_MNEMONIC_JKZD, "Knights Corner JKZD (VEX.0F 84, rel32, no "
	  "ModRM): not in the SDM (Vol. 2D table A-3 has no VEX.0F 84); a VEX "
	  "instruction has a ModRM byte (Vol. 2A 2.3, figure 2-8)" },
	{ ZYDIS_MNEMONIC_JKNZD, "Knights Corner JKNZD (VEX.0F 85, rel32, no "
	  "ModRM): as JKZD" },
};

int diff_zydis_quirk(ZydisMnemonic m)
{
	for (int k = 0; k < DIFF_ZYDIS_QUIRKS; k++)
		if (diff_zydis_quirks[k].mnemonic == m)
			return k;
	return -1;
}
