; double_fault.asm - #DF delivered through a task gate (32-bit protected
; mode).
;
; A contributory exception raised while delivering another contributory
; exception is a double fault (SDM Vol. 3A 6.15, table 6-5). IDT vector 8
; is a task gate to its own TSS, so the handler runs with its own stack
; even when the fault came from a broken one. The task switch (SDM Vol. 3A
; 7.3) saves the interrupted task's state in its TSS, marks the new TSS
; busy, writes the old TSS selector into the new TSS's back link, sets
; EFLAGS.NT and CR0.TS, and pushes the error code (0 for #DF) on the new
; task's stack. IRET with NT = 1 returns to the back-linked task and marks
; the #DF task not busy again.
;
; Two double faults:
;   1. #GP (MOV DS, selector past the GDT limit) whose gate is not present:
;      delivering it raises #NP.
;   2. #PF with ESP at the top of a not-present page: delivering it raises
;      a second #PF (SDM table 6-5: #PF then #PF is a double fault).
; The #DF handler records what it sees and returns to the main task at
; df_resume (it rewrites the EIP saved there).

%include "test.inc"

SEL_TSS_DF      equ 0x68
STACK_NP        equ 0x00e00000          ; not present in case 2
DATA_NP         equ 0x00f00000          ; not present in case 2
SEL_BEYOND      equ 0x100
TSS_LINK        equ 0x00
TSS_CR3         equ 0x1c
TSS_EIP         equ 0x20
TSS_EFLAGS      equ 0x24
TSS_ESP         equ 0x38
TSS_ES          equ 0x48
TSS_CS          equ 0x4c
TSS_SS          equ 0x50
TSS_DS          equ 0x54
TSS_FS          equ 0x58
TSS_GS          equ 0x5c
TSS_IOMAP       equ 0x66
TSS_SIZE        equ 0x68
DESC_TYPE_BUSY  equ 0xb                 ; busy 32-bit TSS
DESC_TYPE_AVAIL equ 0x9                 ; available 32-bit TSS
DF_STACK_TOP    equ df_stack + 4096

section .data
align 16
tss_df:         times TSS_SIZE db 0
df_count:       dd 0
df_err:         dd 0
df_esp:         dd 0
df_tr:          dd 0
df_eflags:      dd 0
df_cr0:         dd 0
df_link:        dd 0
df_type_df:     dd 0
df_type_main:   dd 0
df_old_esp:     dd 0
df_cr2:         dd 0
df_resume:      dd 0
main_esp:       dd 0

section .bss
alignb 16
df_stack:       resb 4096

section .text
; The #DF task. Entered by the task gate with the error code on its stack;
; IRET goes back to the main task, and the next #DF resumes after it.
df_task:
	inc dword [df_count]
	mov eax, [esp]
	mov [df_err], eax
	mov [df_esp], esp
	str ax
	movzx eax, ax
	mov [df_tr], eax
	pushfd
	pop dword [df_eflags]
	mov eax, cr0
	mov [df_cr0], eax
	clts
	mov eax, [tss_df + TSS_LINK]
	mov [df_link], eax
	movzx eax, byte [gdt + SEL_TSS_DF + 5]
	and eax, 0xf
	mov [df_type_df], eax
	movzx eax, byte [gdt + SEL_TSS + 5]
	and eax, 0xf
	mov [df_type_main], eax
	mov eax, [tss32 + TSS_ESP]
	mov [df_old_esp], eax
	mov eax, cr2
	mov [df_cr2], eax
	mov eax, [df_resume]
	mov [tss32 + TSS_EIP], eax
	add esp, 4                          ; drop the error code
	iretd                               ; NT = 1: back to the main task
	jmp df_task

; Type field (bits 43:40) of the descriptor for selector %1.
%macro DESC_TYPE 1
	movzx eax, byte [gdt + (%1) + 5]
	and eax, 0xf
%endmacro

main:
	TAP_PLAN 19
	mov dword [tss_df + TSS_EIP], df_task
	mov dword [tss_df + TSS_ESP], DF_STACK_TOP
	mov dword [tss_df + TSS_EFLAGS], FL_FIXED1
	mov dword [tss_df + TSS_CS], SEL_CODE32
	mov dword [tss_df + TSS_SS], SEL_DATA32
	mov dword [tss_df + TSS_DS], SEL_DATA32
	mov dword [tss_df + TSS_ES], SEL_DATA32
	mov dword [tss_df + TSS_FS], SEL_DATA32
	mov dword [tss_df + TSS_GS], SEL_DATA32
	mov eax, cr3
	mov [tss_df + TSS_CR3], eax
	mov word [tss_df + TSS_IOMAP], TSS_SIZE
	mov eax, SEL_TSS_DF
	mov ebx, tss_df
	mov ecx, TSS_SIZE - 1
	mov edx, GDT_ATTR_TSS
	call gdt_set32
	mov dword [idt32 + VEC_DF * 8], SEL_TSS_DF << 16
	mov dword [idt32 + VEC_DF * 8 + 4], 0x8500       ; P, DPL 0, task gate

	; --- 1: #GP, then #NP on the #GP gate --------------------------------
	and byte [idt32 + VEC_GP * 8 + 5], 0x7f          ; gate 13 not present
	mov dword [df_resume], .back1
	mov [main_esp], esp
	mov ax, SEL_BEYOND
	mov ds, ax                          ; #GP(100h) -> #NP(13*8+2+1) -> #DF
	jmp .no_df1
.back1:
	mov esp, [main_esp]
	or byte [idt32 + VEC_GP * 8 + 5], 0x80
	EXPECT_EQ dword [df_count], 1, "#GP then #NP: the #DF task ran"
	EXPECT_EQ dword [df_err], 0, "#DF error code is 0"
	EXPECT_EQ dword [df_esp], DF_STACK_TOP - 4, "the error code is on the #DF task's stack (TSS ESP - 4)"
	EXPECT_EQ dword [df_tr], SEL_TSS_DF, "TR is the #DF task's TSS"
	EXPECT_MASK dword [df_eflags], FL_NT | FL_IF, FL_NT, "the #DF task runs with EFLAGS.NT = 1"
	EXPECT_MASK dword [df_cr0], CR0_TS, CR0_TS, "the task switch set CR0.TS"
	EXPECT_EQ dword [df_link], SEL_TSS, "back link = the interrupted task's TSS"
	EXPECT_EQ dword [df_type_df], DESC_TYPE_BUSY, "the #DF TSS is busy while it runs"
	EXPECT_EQ dword [df_type_main], DESC_TYPE_BUSY, "the interrupted task stays busy"
	EXPECT_EQ dword [df_old_esp], dword [main_esp], "the interrupted task's ESP is saved in its TSS"
	str ax
	movzx eax, ax
	EXPECT_EQ eax, SEL_TSS, "IRET returned to the main task (TR)"
	DESC_TYPE SEL_TSS_DF
	EXPECT_EQ eax, DESC_TYPE_AVAIL, "IRET marked the #DF TSS available"
	pushfd
	pop eax
	EXPECT_MASK eax, FL_NT, 0, "the main task's EFLAGS.NT is 0 again"
	clts

	; --- 2: #PF whose delivery faults on a not-present stack page: #PF ---
	mov eax, PG_P | PG_RW
	call pg_build_32bit32
	mov cr3, eax
	mov [tss_df + TSS_CR3], eax
	mov [tss32 + TSS_CR3], eax          ; static field: a task switch loads it
	and dword [pg32_pt + (STACK_NP >> 12) * 4], ~PG_P
	and dword [pg32_pt + (DATA_NP >> 12) * 4], ~PG_P
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax
	mov dword [df_resume], .back2
	mov [main_esp], esp
	mov esp, STACK_NP + 4096
	mov eax, [DATA_NP]                  ; #PF -> #PF pushing its frame -> #DF
	jmp .no_df2
.back2:
	mov esp, [main_esp]
	mov eax, cr0
	and eax, ~CR0_PG
	mov cr0, eax
	EXPECT_EQ dword [df_count], 2, "#PF then #PF while pushing its frame: the #DF task ran"
	EXPECT_EQ dword [df_err], 0, "#DF error code is 0"
	EXPECT_EQ dword [df_esp], DF_STACK_TOP - 4, "the #DF task starts again from its saved ESP"
	EXPECT_EQ dword [df_old_esp], STACK_NP + 4096, "the interrupted task's ESP is saved in its TSS"
	EXPECT_MASK dword [df_cr2], ~0xfff, STACK_NP, "CR2 is the stack address of the second #PF"
	DESC_TYPE SEL_TSS_DF
	EXPECT_EQ eax, DESC_TYPE_AVAIL, "IRET marked the #DF TSS available"
	clts
	ret

.no_df1:
.no_df2:
	mov esp, [main_esp]
	PRINTLN "Bail out! no double fault"
	EXIT 1
