; Floating-point/SIMD workload for `make bench`: single- and double-
; precision matrix multiplies with SSE/SSE2 (MULPS/ADDPS, MULPD/ADDPD),
; a substring search with PCMPISTRI (SSE4.2) and a byte count with
; PCMPEQB/PMOVMSKB, ROUNDS times over (about 100 million instructions).
; Deterministic; stays in 32-bit protected mode with paging off, and
; enables SSE itself (CR0.EM = 0, CR0.MP = 1, CR4.OSFXSR, CR4.OSXMMEXCPT).
;
; Prints "fpsimd: checksum=0x........" on COM1 and exits through port
; 0xf4 with 0 (status 1), or prints "fpsimd: FAIL <what>" and exits with
; 0x7f: when CPUID does not report FXSR, SSE, SSE2 and SSE4.2, or when the
; PCMPISTRI search and the byte-by-byte search disagree.
;
; Command-line words (multiboot command line, -append):
;   startup  exit at once, to measure the simulator's start-up time

ROUNDS equ 460
N equ 32                           ; matrices are N x N
TEXT_LEN equ 32768                 ; bytes searched per round

%define BENCH_NAME "fpsimd"
%include "lib.inc"
	BENCH_CMDLINE startup

	section .text
	BENCH_ENTRY

	; CPUID.1: EDX bits 24 (FXSR), 25 (SSE), 26 (SSE2); ECX bit 20
	; (SSE4.2).
	mov eax, 1
	cpuid
	and edx, 7 << 24
	cmp edx, 7 << 24
	jne fail_cpuid
	test ecx, 1 << 20
	jz fail_cpuid
	mov eax, cr0
	and eax, ~(1 << 2)             ; EM
	or eax, 1 << 1                 ; MP
	mov cr0, eax
	mov eax, cr4
	or eax, (1 << 9) | (1 << 10)   ; OSFXSR, OSXMMEXCPT
	mov cr4, eax

	call fill_inputs
	call fill_text
	call search_scalar
	mov [expect], eax
	mov dword [round], 0
.round:
	call matmul_ps
	call mix
	call matmul_pd
	call mix
	call search_sse
	cmp dword [round], 0
	jne .counted
	cmp eax, [expect]
	jne fail_search
.counted:
	call mix
	call count_bytes
	call mix
	; perturb the inputs so that each round computes something new
	mov eax, [round]
	cvtsi2ss xmm0, eax
	addss xmm0, [mat_a]
	movss [mat_a], xmm0
	cvtsi2sd xmm1, eax
	addsd xmm1, [mat_da]
	movsd [mat_da], xmm1
	inc dword [round]
	cmp dword [round], ROUNDS
	jb .round

	BENCH_PRINT_CHECKSUM
	BENCH_DONE

fail_cpuid:
	mov esi, s_fail_cpuid
	jmp fail
fail_search:
	mov esi, s_fail_search
	jmp fail

; rand: EAX = next value of a 32-bit LCG.
rand:
	mov eax, [seed]
	imul eax, eax, 1664525
	add eax, 1013904223
	mov [seed], eax
	ret

; fill_inputs: the matrices get small integers (-8..7) as floats and
; doubles.
fill_inputs:
	mov edi, 0
.l:
	call rand
	sar eax, 28
	cvtsi2ss xmm0, eax
	movss [mat_a + 4 * edi], xmm0
	cvtsi2sd xmm0, eax
	movsd [mat_da + 8 * edi], xmm0
	call rand
	sar eax, 29
	cvtsi2ss xmm0, eax
	movss [mat_b + 4 * edi], xmm0
	cvtsi2sd xmm0, eax
	movsd [mat_db + 8 * edi], xmm0
	inc edi
	cmp edi, N * N
	jb .l
	ret

; matmul_ps: C = A * B in single precision, four columns at a time;
; EAX = the sum of C's dwords.
matmul_ps:
	xor esi, esi                   ; row i * 4N
.row:
	xor edi, edi                   ; column block j * 4
.col:
	xorps xmm0, xmm0
	xor ecx, ecx                   ; k
	lea ebx, [mat_b + edi]
.k:
	movss xmm1, [mat_a + esi + 4 * ecx]
	shufps xmm1, xmm1, 0
	mulps xmm1, [ebx]
	addps xmm0, xmm1
	add ebx, 4 * N
	inc ecx
	cmp ecx, N
	jb .k
	movaps [mat_c + esi + edi], xmm0
	add edi, 16
	cmp edi, 4 * N
	jb .col
	add esi, 4 * N
	cmp esi, 4 * N * N
	jb .row
	mov esi, mat_c
	mov ecx, N * N / 4
	jmp sum_dwords

; matmul_pd: the same in double precision, two columns at a time.
matmul_pd:
	xor esi, esi                   ; row i * 8N
.row:
	xor edi, edi                   ; column block j * 8
.col:
	xorpd xmm0, xmm0
	xor ecx, ecx
	lea ebx, [mat_db + edi]
.k:
	movddup xmm1, [mat_da + esi + 8 * ecx]
	mulpd xmm1, [ebx]
	addpd xmm0, xmm1
	add ebx, 8 * N
	inc ecx
	cmp ecx, N
	jb .k
	movapd [mat_dc + esi + edi], xmm0
	add edi, 16
	cmp edi, 8 * N
	jb .col
	add esi, 8 * N
	cmp esi, 8 * N * N
	jb .row
	mov esi, mat_dc
	mov ecx, N * N / 2
	jmp sum_dwords

; sum_dwords: EAX = the sum of ECX x 16 bytes of dwords at ESI.
sum_dwords:
	pxor xmm2, xmm2
.l:
	paddd xmm2, [esi]
	add esi, 16
	dec ecx
	jnz .l
	pshufd xmm3, xmm2, 0x4e
	paddd xmm2, xmm3
	pshufd xmm3, xmm2, 0xb1
	paddd xmm2, xmm3
	movd eax, xmm2
	ret

; fill_text: TEXT_LEN letters a-h from the LCG, NUL-terminated (16 NUL
; bytes follow, so that 16-byte loads stay inside the buffer).
fill_text:
	xor edi, edi
.l:
	call rand
	shr eax, 29
	add al, 'a'
	mov [text + edi], al
	inc edi
	cmp edi, TEXT_LEN
	jb .l
	ret

; search_sse: EAX = occurrences of the needle in the text, by PCMPISTRI
; (equal ordered: ECX is where a match may start in each 16 bytes).
search_sse:
	movdqu xmm1, [needle]
	xor eax, eax
	xor esi, esi
.l:
	pcmpistri xmm1, [text + esi], 0x0c
	jc .cand
	jz .end                        ; the text ended in this block
	add esi, 16
	jmp .l
.cand:
	lea edx, [ecx + NEEDLE_LEN]
	cmp edx, 16
	ja .partial                    ; the match runs past the block
	inc eax
	lea esi, [esi + ecx + 1]
	jmp .l
.partial:
	add esi, ecx
	jmp .l
.end:
	ret

; search_scalar: the same count, byte by byte.
search_scalar:
	xor eax, eax
	xor esi, esi
.l:
	xor ecx, ecx
.c:
	mov dl, [needle + ecx]
	cmp dl, [text + esi + ecx]
	jne .next
	inc ecx
	cmp ecx, NEEDLE_LEN
	jb .c
	inc eax
.next:
	inc esi
	cmp esi, TEXT_LEN - NEEDLE_LEN + 1
	jb .l
	ret

; count_bytes: EAX = the number of 'a' bytes in the text, by PCMPEQB and
; PMOVMSKB.
count_bytes:
	movdqa xmm1, [all_a]
	xor eax, eax
	xor esi, esi
.l:
	movdqa xmm0, [text + esi]
	pcmpeqb xmm0, xmm1
	pmovmskb edx, xmm0
	popcnt edx, edx
	add eax, edx
	add esi, 16
	cmp esi, TEXT_LEN
	jb .l
	ret

	section .rodata
	align 16
NEEDLE_LEN equ 3
needle:		db "bad", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
all_a:		times 16 db 'a'
s_fail_cpuid:	db "fpsimd: FAIL CPUID does not report FXSR, SSE, SSE2 and SSE4.2", 10, 0
s_fail_search:	db "fpsimd: FAIL PCMPISTRI and byte-wise search disagree", 10, 0

	section .data
seed:		dd 12345

	section .bss
	alignb 16
expect:		resd 1
	alignb 16
mat_a:		resd N * N
mat_b:		resd N * N
mat_c:		resd N * N
mat_da:		resq N * N
mat_db:		resq N * N
mat_dc:		resq N * N
text:		resb TEXT_LEN + 16
