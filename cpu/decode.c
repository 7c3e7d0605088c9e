/* The instruction decoder: legacy prefixes and REX, the one-byte, 0F,
 * 0F 38 and 0F 3A maps (data in cpu/decode_maps.c), ModRM/SIB addressing
 * in every address size, immediates, and the length of VEX, EVEX and XOP
 * encodings, which this CPU model does not execute.
 *
 * What a decode records (cpu/insn.h):
 *  - opsize: 1 for forms whose first operand is a byte (the b forms);
 *    otherwise 2/4/8 from the mode, 66 and REX.W, with the SDM's d64/f64
 *    rules (SDM Vol. 2A 2.2.1.7, Vol. 2D A.2.5), 32/64 only for y forms,
 *    16/32 only for IN/OUT/INS/OUTS (z), and 32/64 by mode for MOV CR/DR,
 *    INVPCID and RDPID. The handler is impl->fn[log2 opsize][memory].
 *  - forms without ModRM: mod = 3, rm = opcode bits 2:0 with REX.B (the
 *    register of 50+r, B0+r, C8+r...), reg = opcode bits 5:3 (the segment
 *    register of PUSH/POP Sreg); handlers sit in column 0.
 *  - seg: the last segment override, else SS for rBP/rSP-based (and
 *    16-bit BP-based) memory operands, else DS; string instructions use
 *    it for their source, ES for the destination.
 *  - imm: sign-extended for Ib of arithmetic EvIb forms, PUSH Ib, Iz, and
 *    Jb/Jz (relative to the next instruction); zero-extended otherwise;
 *    moffs goes to disp.
 * An encoding that is #UD decodes to its full length with i->fn =
 * insn_ud and i->ud_reason saying why.
 *
 * Where Intel and AMD differ we model Intel: near branches ignore 66 in
 * 64-bit mode; SYSCALL/SYSRET are #UD outside it; far branches and
 * LFS/LGS/LSS honour REX.W; LOCK MOV CR0 is not CR8. Lengths of what
 * no Intel CPU executes (XOP, 3DNow!, SSE4a, VIA PadLock) follow Zydis. */
#include "cpu/decode.h"

#include <stdbool.h>
#include <stddef.h>

#include "cpu/cpu.h"
#include "cpu/decode_maps.h"
#include "cpu/fault.h"

#define SEG_NONE 0xff

/* Reasons that name the form's mnemonic, from cpu/insn.def. */
#define INSN(id, mnemonic, flags) [INSN_##id] = mnemonic " is not implemented",
static const char *const reason_unimpl[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN
#define INSN(id, mnemonic, flags) [INSN_##id] = mnemonic " with a register operand",
static const char *const reason_regop[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN
#define INSN(id, mnemonic, flags) [INSN_##id] = mnemonic " with a memory operand",
static const char *const reason_memop[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN
#define INSN(id, mnemonic, flags) [INSN_##id] = mnemonic " with this operand size",
static const char *const reason_width[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN
#define INSN(id, mnemonic, flags) [INSN_##id] = "LOCK prefix on " mnemonic,
static const char *const reason_lock[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN
#define INSN(id, mnemonic, flags)                                          \
	[INSN_##id] = "LOCK prefix on " mnemonic " with a register destination",
static const char *const reason_lockreg[INSN_COUNT] = {
#include "cpu/insn.def"
};
#undef INSN

void insn_ud(struct cpu *c, const struct insn *i)
{
	cpu_raise(c, EXC_UD, "%s", i->ud_reason ? i->ud_reason : "invalid opcode");
}

static inline uint64_t read_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;
	for (unsigned k = n; k-- > 0;)
		v = v << 8 | p[k];
	return v;
}

static inline int64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned s = 64 - 8 * bytes;
	return (int64_t)(v << s) >> s;
}

/* Bytes [0, end) must be readable: more than 15 is #GP (SDM Vol. 2A
 * 2.3.11), more than avail means the caller must fetch more. */
#define NEED(end)                                                          \
	do {                                                               \
		if ((end) > lim)                                           \
			return (end) > 15 ? DECODE_TOO_LONG : DECODE_NEED_MORE; \
	} while (0)

static unsigned operand_size(unsigned rule, unsigned code_size, bool p66,
			     bool rexw)
{
	bool m64 = code_size == 8;
	unsigned v = code_size == 2 ? (p66 ? 4 : 2) : (p66 ? 2 : 4);
	switch (rule) {
	case SZ_B:
		return 1;
	case SZ_Z:
		return rexw ? 4 : v;
	case SZ_D64:
		return m64 ? (p66 && !rexw ? 2 : 8) : v;
	case SZ_F64:
		return m64 ? 8 : v;
	case SZ_Y:
		return m64 && rexw ? 8 : 4;
	case SZ_YM:
		return m64 ? 8 : 4;
	default:
		return rexw ? 8 : v;
	}
}

/* 16-bit addressing (SDM Vol. 2A table 2-1): base and index by rm. */
static const uint8_t base16[8] = {
	REG_RBX, REG_RBX, REG_RBP, REG_RBP, REG_RSI, REG_RDI, REG_RBP, REG_RBX,
};
static const uint8_t index16[8] = {
	REG_RSI, REG_RDI, REG_RSI, REG_RDI, INSN_REG_NONE, INSN_REG_NONE,
	INSN_REG_NONE, INSN_REG_NONE,
};

/* Decodes the memory operand of ModRM (mod != 3) whose SIB/displacement
 * start at b[pos]; returns the position after them or DECODE_*. Sets
 * base, index, scale, disp, rip_rel and the default segment. */
static int decode_mem(struct insn *i, const uint8_t *b, unsigned pos,
		      unsigned lim, unsigned mod, unsigned rm, unsigned rex,
		      bool m64)
{
	unsigned dsize = mod == 1 ? 1 : mod == 2 ? 4 : 0;
	if (i->addrsize == 2) {
		i->base = base16[rm];
		i->index = index16[rm];
		if (mod == 0 && rm == 6) {
			i->base = INSN_REG_NONE;
			dsize = 2;
		} else if (mod == 2) {
			dsize = 2;
		}
		i->seg = i->base == REG_RBP ? SEG_SS : SEG_DS;
	} else {
		unsigned base = rm;
		if (rm == 4) {
			NEED(pos + 1);
			uint8_t sib = b[pos++];
			unsigned index = ((sib >> 3) & 7) | (rex & 2 ? 8 : 0);
			base = sib & 7;
			i->scale = sib >> 6;
			i->index = index == 4 ? INSN_REG_NONE : index;
			if (base == 5 && mod == 0) {
				base = INSN_REG_NONE;
				dsize = 4;
			}
		} else if (rm == 5 && mod == 0) {
			/* RIP-relative in 64-bit mode (SDM Vol. 2A 2.2.1.6) */
			base = INSN_REG_NONE;
			i->rip_rel = m64;
			dsize = 4;
		}
		if (base != INSN_REG_NONE)
			base |= rex & 1 ? 8 : 0;
		i->base = base;
		/* Only rSP and rBP (not r12/r13) imply SS (SDM Vol. 1 3.7.5) */
		i->seg = base == REG_RSP || base == REG_RBP ? SEG_SS : SEG_DS;
	}
	NEED(pos + dsize);
	if (dsize)
		i->disp = sign_extend(read_le(b + pos, dsize), dsize);
	return pos + dsize;
}

/* VEX (C4/C5), EVEX (62) and XOP (8F) encodings: decoded for their length
 * (SDM Vol. 2A 2.3 and 2.7; AMD APM Vol. 3 1.8 for XOP), all #UD here. */
static int decode_vex(struct insn *i, const uint8_t *b, unsigned pos,
		      unsigned lim, unsigned code_size, unsigned pfx,
		      bool rex_or_rep)
{
#define UNSUP(what) what DEC_UNSUPPORTED
	static const char *const reasons[3][11] = {
		{ [1] = UNSUP("AVX (VEX map 0F)"),
		  [2] = UNSUP("AVX (VEX map 0F 38)"),
		  [3] = UNSUP("AVX (VEX map 0F 3A)") },
		{ [1] = UNSUP("AVX-512 (EVEX map 0F)"),
		  [2] = UNSUP("AVX-512 (EVEX map 0F 38)"),
		  [3] = UNSUP("AVX-512 (EVEX map 0F 3A)"),
		  [5] = UNSUP("AVX512-FP16 (EVEX map 5)"),
		  [6] = UNSUP("AVX512-FP16 (EVEX map 6)") },
		{ [8] = UNSUP("AMD XOP (map 8)"), [9] = UNSUP("AMD XOP (map 9)"),
		  [10] = UNSUP("AMD XOP (map 0A)") },
	};
#undef UNSUP
	uint8_t esc = b[pos];
	unsigned kind, hdr, map;
	NEED(pos + 2);
	switch (esc) {
	case 0xc5:
		kind = 0, hdr = 2, map = 1;
		break;
	case 0xc4:
		kind = 0, hdr = 3, map = b[pos + 1] & 0x1f;
		break;
	case 0x62:
		kind = 1, hdr = 4, map = b[pos + 1] & 7;
		break;
	default:
		kind = 2, hdr = 3, map = b[pos + 1] & 0x1f;
		break;
	}
	NEED(pos + hdr + 1);
	uint8_t op = b[pos + hdr];
	pos += hdr + 1;
	i->opcode = op;
	/* VZEROUPPER/VZEROALL (VEX.0F 77) are the only ones without ModRM */
	if (!(kind == 0 && map == 1 && op == 0x77)) {
		NEED(pos + 1);
		uint8_t modrm = b[pos++];
		i->modrm = modrm;
		i->mod = modrm >> 6;
		if (i->mod != 3) {
			int r = decode_mem(i, b, pos, lim, i->mod, modrm & 7, 0,
					   false);
			if (r < 0)
				return r;
			pos = (unsigned)r;
		}
	}
	unsigned imm = 0;
	if (kind == 2)
		imm = map == 8 ? 1 : map == 10 ? 4 : 0;
	else if (map == 3)
		imm = 1;
	else if (map == 1)
		imm = (op >= 0x70 && op <= 0x73) || op == 0xc2 ||
		      (op >= 0xc4 && op <= 0xc6);
	NEED(pos + imm);
	pos += imm;
	const char *why = map < 11 ? reasons[kind][map] : NULL;
	if (!why)
		why = "VEX, EVEX or XOP prefix with a reserved opcode map";
	if ((pfx & (PFX_LOCK | PFX_OPSIZE)) || rex_or_rep)
		why = "VEX, EVEX or XOP prefix after a LOCK, 66, F2, F3 or REX prefix";
	i->fn = insn_ud;
	i->ud_reason = why;
	i->len = (uint8_t)pos;
	i->opsize = (uint8_t)operand_size(SZ_V, code_size, pfx & PFX_OPSIZE,
					  false);
	return (int)pos;
}

static bool impl_empty(const struct insn_impl *impl)
{
	for (unsigned w = 0; w < 4; w++)
		if (impl->fn[w][0] || impl->fn[w][1])
			return false;
	return true;
}

/* Why no handler exists for this width and operand kind. */
static const char *missing_reason(unsigned id, bool mem)
{
	const struct insn_impl *impl = insn_impls[id];
	if (impl_empty(impl))
		return reason_unimpl[id];
	for (unsigned k = 0; k < 4; k++)
		if (impl->fn[k][mem])
			return reason_width[id];
	return mem ? reason_memop[id] : reason_regop[id];
}

/* Valid control registers: CR0, CR2, CR3, CR4, CR8 (SDM Vol. 2B MOV). */
#define VALID_CRS ((1u << 0) | (1u << 2) | (1u << 3) | (1u << 4) | (1u << 8))

static const char *const reserved_reason[4] = {
	"reserved opcode (one-byte map)", "reserved opcode (0F map)",
	"reserved opcode (0F 38 map)", "reserved opcode (0F 3A map)",
};

int decode_insn(struct insn *i, const uint8_t *b, unsigned avail,
		unsigned code_size)
{
	const bool m64 = code_size == 8;
	const unsigned lim = avail < 15 ? avail : 15;
	unsigned pos, pfx = 0, rex = 0, seg = SEG_NONE, rep = 0;

	*i = (struct insn){ .base = INSN_REG_NONE, .index = INSN_REG_NONE,
			    .mod = 3, .seg = SEG_DS };

	/* Legacy prefixes in any order; a REX counts only right before the
	 * opcode (SDM Vol. 2A 2.1.1, 2.2.1). */
	for (pos = 0;; pos++) {
		NEED(pos + 1);
		uint8_t c = b[pos];
		switch (c) {
		case 0xf0: pfx |= PFX_LOCK; break;
		case 0xf2: case 0xf3: rep = c; break;
		case 0x66: pfx |= PFX_OPSIZE; break;
		case 0x67: pfx |= PFX_ADDRSIZE; break;
		case 0x26: case 0x2e: case 0x36: case 0x3e:
			/* 64-bit mode ignores ES, CS, SS and DS overrides */
			if (!m64)
				seg = (c >> 3) & 3;
			break;
		case 0x64: seg = SEG_FS; break;
		case 0x65: seg = SEG_GS; break;
		default:
			if (m64 && (c & 0xf0) == 0x40) {
				rex = c;
				continue;
			}
			goto opcode;
		}
		rex = 0;
	}
opcode:;
	/* The last of F2/F3 is the effective one, and the mandatory prefix
	 * when the opcode has prefix columns; 66 only without them. */
	unsigned mand = rep == 0xf3 ? DEC_PFX_F3 : rep == 0xf2 ? DEC_PFX_F2 :
			(pfx & PFX_OPSIZE) ? DEC_PFX_66 : DEC_PFX_NONE;
	pfx |= rep == 0xf3 ? PFX_REP : rep == 0xf2 ? PFX_REPNE : 0;
	if (rex)
		pfx |= PFX_REX | (rex & 8 ? PFX_REXW : 0);
	if (seg != SEG_NONE)
		pfx |= PFX_SEG;
	i->prefixes = (uint8_t)pfx;
	i->addrsize = m64 ? ((pfx & PFX_ADDRSIZE) ? 4 : 8) :
		      code_size == 4 ? ((pfx & PFX_ADDRSIZE) ? 2 : 4) :
		      ((pfx & PFX_ADDRSIZE) ? 4 : 2);

	unsigned op = b[pos];
	unsigned map = 0;
	const struct dec_node *n;
	if (op == 0x0f) {
		NEED(pos + 2);
		op = b[pos + 1];
		if (op == 0x38 || op == 0x3a) {
			NEED(pos + 3);
			map = op == 0x38 ? 2 : 3;
			op = b[pos + 2];
			n = &(map == 2 ? dec_map_0f38 : dec_map_0f3a)[op];
			pos += 3;
		} else {
			map = 1;
			n = &dec_map_0f[op];
			pos += 2;
		}
	} else {
		/* C4/C5/62 are VEX/EVEX in 64-bit mode, else only where a
		 * ModRM would have mod = 3; 8F is XOP when mmmmm >= 8. */
		if (op == 0xc4 || op == 0xc5 || op == 0x62 || op == 0x8f) {
			if (op == 0x8f || !m64)
				NEED(pos + 2);
			if (op == 0x8f ? (b[pos + 1] & 0x1f) >= 8 :
			    m64 || (b[pos + 1] & 0xc0) == 0xc0)
				return decode_vex(i, b, pos, lim, code_size, pfx,
						  rex || rep);
		}
		n = &dec_map_1byte[op];
		pos += 1;
	}
	i->opcode = (uint8_t)op;

	uint8_t modrm = 0;
	bool has_modrm = (n->flags & DF_MODRM) || map >= 2;
	bool modreg = n->flags & DF_MODREG;
	if (has_modrm) {
		NEED(pos + 1);
		modrm = b[pos++];
	}
	while (n->sel != SEL_LEAF) {
		switch (n->sel) {
		case SEL_PFX: n = &n->sub[mand]; break;
		case SEL_REG: n = &n->sub[(modrm >> 3) & 7]; break;
		case SEL_MOD: n = &n->sub[(modrm >> 6) == 3]; break;
		case SEL_RM: n = &n->sub[modrm & 7]; break;
		case SEL_MODE: n = &n->sub[m64]; break;
		case SEL_W: n = &n->sub[(rex >> 3) & 1]; break;
		default: n = &n->sub[rex & 1]; break;
		}
	}
	const unsigned fl = n->flags, id = n->id;
	const unsigned osz = operand_size(n->size, code_size, pfx & PFX_OPSIZE,
					  rex & 8);
	i->id = (uint16_t)id;
	i->opsize = (uint8_t)osz;

	if (has_modrm) {
		i->modrm = modrm;
		i->mod = modreg ? 3 : modrm >> 6;
		i->reg = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
		if (i->mod == 3) {
			i->rm = (modrm & 7) | (rex & 1 ? 8 : 0);
		} else {
			int r = decode_mem(i, b, pos, lim, i->mod, modrm & 7,
					   rex, m64);
			if (r < 0)
				return r;
			pos = (unsigned)r;
		}
		if (fl & DF_SREG)
			i->reg = (modrm >> 3) & 7; /* REX.R is ignored */
	} else {
		i->rm = (op & 7) | (rex & 1 ? 8 : 0);
		i->reg = (op >> 3) & 7;
	}
	if (seg != SEG_NONE)
		i->seg = (uint8_t)seg;
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
	if (!rex) {
		if ((fl & DF_REG8) && i->reg >= 4)
			i->reg += INSN_REG_AH - 4;
		if ((fl & DF_RM8) && i->mod == 3 && i->rm >= 4)
			i->rm += INSN_REG_AH - 4;
	}

	unsigned imm = map == 3 ? IMM_B : n->imm;
	unsigned isz;
	switch (imm) {
	case IMM_NONE:
		break;
	case IMM_B: case IMM_SB: case IMM_JB:
		NEED(pos + 1);
		i->imm = imm == IMM_B ? b[pos] : (uint64_t)(int8_t)b[pos];
		pos += 1;
		break;
	case IMM_W:
		NEED(pos + 2);
		i->imm = read_le(b + pos, 2);
		pos += 2;
		break;
	case IMM_Z: case IMM_JZ:
		isz = osz == 2 ? 2 : 4;
		NEED(pos + isz);
		i->imm = (uint64_t)sign_extend(read_le(b + pos, isz), isz);
		pos += isz;
		break;
	case IMM_V:
		NEED(pos + osz);
		i->imm = read_le(b + pos, osz);
		pos += osz;
		break;
	case IMM_O:
		NEED(pos + i->addrsize);
		i->disp = (int64_t)read_le(b + pos, i->addrsize);
		pos += i->addrsize;
		break;
	case IMM_AP:
		isz = osz == 2 ? 2 : 4;
		NEED(pos + isz + 2);
		i->imm = read_le(b + pos, isz);
		i->imm2 = read_le(b + pos + isz, 2);
		pos += isz + 2;
		break;
	case IMM_WB:
		NEED(pos + 3);
		i->imm = read_le(b + pos, 2);
		i->imm2 = b[pos + 2];
		pos += 3;
		break;
	case IMM_BB:
		NEED(pos + 2);
		i->imm = b[pos];
		i->imm2 = b[pos + 1];
		pos += 2;
		break;
	default: /* IMM_D */
		NEED(pos + 4);
		i->imm = read_le(b + pos, 4);
		pos += 4;
		break;
	}
	i->len = (uint8_t)pos;

	/* #UD rules that follow from the encoding alone, in SDM order. */
	const bool mem = i->mod != 3;
	const char *why = NULL;
	if (id == INSN_INVALID)
		why = n->reason ? n->reason : reserved_reason[map];
	else if ((fl & DF_INV64) && m64)
		why = n->reason;
	else if ((fl & DF_ONLY64) && !m64)
		why = n->reason;
	else if ((pfx & PFX_LOCK) && !(insn_flags[id] & IF_LOCK))
		why = reason_lock[id];
	else if ((pfx & PFX_LOCK) && !mem)
		why = reason_lockreg[id];
	else if ((fl & DF_MEM) && !mem)
		why = reason_regop[id];
	else if ((fl & DF_SREG) && i->reg > SEG_GS)
		why = "MOV with a reserved segment register (ModRM.reg 6 or 7)";
	else if ((fl & DF_SREG_DST) && i->reg == SEG_CS)
		why = "MOV to CS (use a far jump)";
	else if ((fl & DF_CREG) && !(VALID_CRS >> i->reg & 1))
		why = "MOV with a reserved control register";
	else if ((fl & DF_DREG) && i->reg >= 8)
		why = "MOV with DR8-DR15 (REX.R)";
	if (!why) {
		unsigned w = (unsigned)__builtin_ctz(osz);
		insn_fn fn = insn_impls[id]->fn[w][mem];
		if (fn) {
			i->fn = fn;
			return (int)pos;
		}
		why = missing_reason(id, mem);
	}
	i->fn = insn_ud;
	i->ud_reason = why;
	return (int)pos;
}
