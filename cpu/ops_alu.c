/* Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP, INC DEC
 * NOT NEG TEST (SDM Vol. 2A/2B, each instruction's Operation section). */
#include "cpu/exec.h"
#include "cpu/fault.h"
#include "cpu/flags.h"

enum alu_op { ALU_ADD, ALU_OR, ALU_ADC, ALU_SBB, ALU_AND, ALU_SUB, ALU_XOR,
	      ALU_CMP, ALU_TEST };

/* The result alone, before any state changes: the destination is written
 * first so that a faulting store leaves the flags as they were. */
EXEC_INLINE uint64_t alu_result(enum alu_op op, uint64_t a, uint64_t b,
				bool cf)
{
	switch (op) {
	case ALU_ADD: return a + b;
	case ALU_ADC: return a + b + cf;
	case ALU_SBB: return a - b - cf;
	case ALU_SUB:
	case ALU_CMP: return a - b;
	case ALU_OR: return a | b;
	case ALU_XOR: return a ^ b;
	default: return a & b;  /* AND, TEST */
	}
}

EXEC_INLINE void alu_flags(struct cpu *c, enum alu_op op, unsigned size,
			   uint64_t a, uint64_t b, uint64_t r)
{
	unsigned bits = size * 8;
	switch (op) {
	case ALU_ADD:
	case ALU_ADC:
		lf_arith(c, bits, lf_add_carries(a, b, r), r);
		break;
	case ALU_SUB:
	case ALU_SBB:
	case ALU_CMP:
		lf_arith(c, bits, lf_sub_carries(a, b, r), r);
		break;
	default:
		/* OF = CF = 0; AF is undefined and is 0 on the hosts we
		 * compare against. */
		lf_logic(c, bits, r);
		break;
	}
}

EXEC_INLINE void alu_commit(struct cpu *c, const struct insn *i,
			    unsigned size, bool mem, uint64_t ea,
			    enum alu_op op, uint64_t a, uint64_t b, bool dst_rm)
{
	uint64_t r = alu_result(op, a, b, flag_cf(c)) & size_mask(size);
	if (op != ALU_CMP && op != ALU_TEST) {
		if (dst_rm)
			rm_write(c, i, size, mem, ea, r);
		else
			reg_write(c, i->reg, size, r);
	}
	alu_flags(c, op, size, a, b, r);
}

/* op E, G */
EXEC_INLINE void alu_eg(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, enum alu_op op)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t a = rm_read(c, i, size, mem, ea);
	alu_commit(c, i, size, mem, ea, op, a, reg_read(c, i->reg, size), true);
}

/* op G, E */
EXEC_INLINE void alu_ge(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, enum alu_op op)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t b = rm_read(c, i, size, mem, ea);
	alu_commit(c, i, size, mem, ea, op, reg_read(c, i->reg, size), b,
		   false);
}

/* op E, imm (the decoder sign-extends Ib and Iz as the form says) */
EXEC_INLINE void alu_ei(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, enum alu_op op)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t a = rm_read(c, i, size, mem, ea);
	alu_commit(c, i, size, mem, ea, op, a, i->imm & size_mask(size), true);
}

/* op AL/rAX, imm */
EXEC_INLINE void alu_ai(struct cpu *c, const struct insn *i, unsigned size,
			bool mem, enum alu_op op)
{
	(void)mem;
	uint64_t a = reg_read(c, REG_RAX, size);
	uint64_t b = i->imm & size_mask(size);
	uint64_t r = alu_result(op, a, b, flag_cf(c)) & size_mask(size);
	if (op != ALU_CMP && op != ALU_TEST)
		reg_write(c, REG_RAX, size, r);
	alu_flags(c, op, size, a, b, r);
}

#define ALU_FORMS(OP, op)                                                  \
	IMPL_B_RM(OP##_EbGb, alu_eg, op)                                   \
	IMPL_V_RM(OP##_EvGv, alu_eg, op)                                   \
	IMPL_B_RM(OP##_GbEb, alu_ge, op)                                   \
	IMPL_V_RM(OP##_GvEv, alu_ge, op)                                   \
	IMPL_B_NM(OP##_ALIb, alu_ai, op)                                   \
	IMPL_V_NM(OP##_rAXIz, alu_ai, op)                                  \
	IMPL_B_RM(OP##_EbIb, alu_ei, op)                                   \
	IMPL_V_RM(OP##_EvIz, alu_ei, op)                                   \
	IMPL_V_RM(OP##_EvIb, alu_ei, op)

ALU_FORMS(ADD, ALU_ADD)
ALU_FORMS(OR, ALU_OR)
ALU_FORMS(ADC, ALU_ADC)
ALU_FORMS(SBB, ALU_SBB)
ALU_FORMS(AND, ALU_AND)
ALU_FORMS(SUB, ALU_SUB)
ALU_FORMS(XOR, ALU_XOR)
ALU_FORMS(CMP, ALU_CMP)

/* TEST has no G,E or Ib-extended forms (85 is TEST Ev,Gv). */
IMPL_B_RM(TEST_EbGb, alu_eg, ALU_TEST)
IMPL_V_RM(TEST_EvGv, alu_eg, ALU_TEST)
IMPL_B_NM(TEST_ALIb, alu_ai, ALU_TEST)
IMPL_V_NM(TEST_rAXIz, alu_ai, ALU_TEST)
IMPL_B_RM(TEST_EbIb, alu_ei, ALU_TEST)
IMPL_V_RM(TEST_EvIz, alu_ei, ALU_TEST)

/* INC and DEC keep CF (SDM Vol. 2A INC). */
EXEC_INLINE void incdec_apply(struct cpu *c, unsigned size, uint64_t a,
			      uint64_t r, bool dec)
{
	bool cf = flag_cf(c);
	if (dec)
		lf_arith(c, size * 8, lf_sub_carries(a, 1, r), r);
	else
		lf_arith(c, size * 8, lf_add_carries(a, 1, r), r);
	flags_set_cf(c, cf);
}

EXEC_INLINE void incdec_e(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem, bool dec)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t a = rm_read(c, i, size, mem, ea);
	uint64_t r = (dec ? a - 1 : a + 1) & size_mask(size);
	rm_write(c, i, size, mem, ea, r);
	incdec_apply(c, size, a, r, dec);
}

/* 40+r / 48+r outside 64-bit mode: the register is in the opcode. */
EXEC_INLINE void incdec_z(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem, bool dec)
{
	(void)mem;
	uint64_t a = reg_read(c, i->rm, size);
	uint64_t r = (dec ? a - 1 : a + 1) & size_mask(size);
	reg_write(c, i->rm, size, r);
	incdec_apply(c, size, a, r, dec);
}

IMPL_B_RM(INC_Eb, incdec_e, false)
IMPL_V_RM(INC_Ev, incdec_e, false)
IMPL_V_NM(INC_Zv, incdec_z, false)
IMPL_B_RM(DEC_Eb, incdec_e, true)
IMPL_V_RM(DEC_Ev, incdec_e, true)
IMPL_V_NM(DEC_Zv, incdec_z, true)

/* NOT changes no flags; NEG is 0 - x with CF = (x != 0). */
EXEC_INLINE void notneg_e(struct cpu *c, const struct insn *i, unsigned size,
			  bool mem, bool neg)
{
	uint64_t ea = mem ? insn_ea(c, i) : 0;
	uint64_t a = rm_read(c, i, size, mem, ea);
	uint64_t r = (neg ? 0 - a : ~a) & size_mask(size);
	rm_write(c, i, size, mem, ea, r);
	if (neg)
		lf_arith(c, size * 8, lf_sub_carries(0, a, r), r);
}

IMPL_B_RM(NOT_Eb, notneg_e, false)
IMPL_V_RM(NOT_Ev, notneg_e, false)
IMPL_B_RM(NEG_Eb, notneg_e, true)
IMPL_V_RM(NEG_Ev, notneg_e, true)
