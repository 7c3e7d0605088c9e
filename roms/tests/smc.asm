; smc.asm - self-modifying code (SDM Vol. 3A 11.6 "Self-Modifying Code":
; a store to code is seen by instruction fetch, even for an instruction
; already prefetched; the check uses the physical address).
;
; Each case runs code, rewrites bytes of it (immediates and opcodes) and
; runs it again, so a simulator that caches decoded blocks must notice the
; store: in the block that is executing, in the very next instruction
; after the store, in a block on another page, in an instruction that
; straddles a page boundary, and through a second linear alias of the
; same physical page.

%include "test.inc"

OP_ADD_EAX      equ 0x05                    ; ADD EAX, imm32
OP_SUB_EAX      equ 0x2d                    ; SUB EAX, imm32
OP_MOV_AL       equ 0xb0                    ; MOV AL, imm8
OP_INC_EAX      equ 0x40
OP_DEC_EAX      equ 0x48
ALIAS_LINEAR    equ 0x00800000              ; second mapping of smc_alias_page

section .text
main:
	TAP_PLAN 14

	; --- one loop block rewrites two of its own earlier instructions -------
	; Iteration i runs MOV EAX, imm; ADD/SUB EAX, 01000000h, then adds
	; 11111111h to the MOV's immediate and flips ADD <-> SUB.
	mov edx, 3
	xor edi, edi
.loop:
.site_imm:
	db 0xb8                             ; MOV EAX, imm32
	dd 0x11111111
.site_op:
	db OP_ADD_EAX
	dd 0x01000000
	mov [t1_result + edi * 4], eax
	add dword [.site_imm + 1], 0x11111111
	xor byte [.site_op], OP_ADD_EAX ^ OP_SUB_EAX
	add edi, 1
	sub edx, 1
	jnz .loop
	EXPECT_EQ dword [t1_result], 0x12111111, "same block, pass 1: original bytes"
	EXPECT_EQ dword [t1_result + 4], 0x21222222, "same block, pass 2: new immediate, ADD became SUB"
	EXPECT_EQ dword [t1_result + 8], 0x34333333, "same block, pass 3: newer immediate, SUB became ADD"

	; --- the instruction right after the store ------------------------------
	mov byte [.next1 + 1], 0x42
.next1:
	db OP_MOV_AL, 0x00
	movzx eax, al
	EXPECT_EQ eax, 0x42, "next instruction: new immediate is executed"
	mov eax, 10
	mov byte [.next2], OP_INC_EAX
.next2:
	db OP_DEC_EAX
	EXPECT_EQ eax, 11, "next instruction: new opcode (DEC -> INC) is executed"
	xor ebx, ebx
	mov ecx, 5
.next_loop:
	mov [.next3 + 1], cl
.next3:
	db OP_MOV_AL, 0x00
	movzx eax, al
	add ebx, eax
	loop .next_loop
	EXPECT_EQ ebx, 5 + 4 + 3 + 2 + 1, "next instruction, in a loop: each pass runs its own immediate"

	; --- a block on another page --------------------------------------------
	call smc_far_fn
	EXPECT_EQ eax, 0x11111112, "other page: original code runs"
	mov dword [smc_far_fn + 1], 0x50505050
	mov byte [smc_far_op], OP_SUB_EAX
	call smc_far_fn
	EXPECT_EQ eax, 0x5050504f, "other page: new immediate and ADD -> SUB run"
	call smc_straddle_fn
	EXPECT_EQ eax, 0x44332211, "page-straddling instruction: original bytes"
	mov byte [smc_straddle_fn + 4], 0xaa    ; the byte on the second page
	call smc_straddle_fn
	EXPECT_EQ eax, 0xaa332211, "page-straddling instruction: store to its second page is seen"

	; --- two linear aliases of one physical page (paging on) ------------------
	mov eax, PG_P | PG_RW
	call pg_build_32bit32
	mov cr3, eax
	mov eax, smc_alias_page
	or eax, PG_P | PG_RW
	mov [pg32_pt + (ALIAS_LINEAR >> 12) * 4], eax
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	call smc_alias_fn
	EXPECT_EQ eax, 0x11110000, "alias: original code runs"
	mov dword [ALIAS_LINEAR + (smc_alias_fn - smc_alias_page) + 1], 0x22220000
	call smc_alias_fn
	EXPECT_EQ eax, 0x22220000, "alias: store through the other linear address is seen"
	mov eax, ALIAS_LINEAR + (smc_alias_fn - smc_alias_page)
	call eax
	EXPECT_EQ eax, 0x22220000, "alias: the same code runs through the alias"
	mov dword [smc_alias_fn + 1], 0x33330000
	mov eax, ALIAS_LINEAR + (smc_alias_fn - smc_alias_page)
	call eax
	EXPECT_EQ eax, 0x33330000, "alias: code run through the alias sees a store to the original"
	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax
	ret

section .data
t1_result:      times 3 dd 0

; Code that is rewritten, on pages of its own.
section .data.smc progbits alloc exec write align=4096
smc_area:
smc_far_fn:
	db 0xb8                             ; MOV EAX, imm32
	dd 0x11111111
smc_far_op:
	db OP_ADD_EAX
	dd 1
	ret
	times 4096 - 4 - ($ - smc_area) db 0xcc
; MOV EAX, imm32 whose last immediate byte is the first byte of the next
; page.
smc_straddle_fn:
	db 0xb8
	dd 0x44332211
	ret
	align 4096, db 0xcc
smc_alias_page:
smc_alias_fn:
	db 0xb8
	dd 0x11110000
	ret
	align 4096, db 0xcc
