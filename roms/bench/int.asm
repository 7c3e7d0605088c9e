; Integer workload for `make bench`: a prime sieve, CRC-32 (bit by bit and
; by table), quicksort and insertion sort, Collatz sequences and a
; multiply/divide mix, ROUNDS times over (about 200 million instructions).
; Deterministic; stays in 32-bit protected mode with paging off.
;
; Prints "int: checksum=0x........" on COM1 and exits through port 0xf4
; with 0 (status 1), or prints "int: FAIL <what>" and exits with 0x7f
; when a self-check fails: the sieve's prime count against pi(131072) =
; 12251, the two CRC-32 methods against each other, the sort order.
;
; Command-line words (multiboot command line, -append):
;   startup  exit at once, to measure the simulator's start-up time
;   tsc      also print the TSC cycles the workload took ("tsc=0x...")

ROUNDS equ 26
SIEVE_N equ 131072
SIEVE_PRIMES equ 12251             ; pi(131072)
DATA_LEN equ 65536                 ; bytes of pseudo-random data
CRC_BIT_LEN equ 8192               ; bytes CRC'd bit by bit
QSORT_N equ 8192                   ; dwords quicksorted
ISORT_N equ 384                    ; dwords insertion-sorted
COLLATZ_N equ 2500                 ; start values per round
MULDIV_N equ 100000                ; multiply/divide iterations per round
CRC_POLY equ 0xedb88320            ; CRC-32, reflected

%define BENCH_NAME "int"
%include "lib.inc"
	BENCH_CMDLINE startup, tsc

	section .text
	BENCH_ENTRY

	cmp byte [opt_tsc], 0
	je .no_tsc
	rdtsc
	mov [tsc_start], eax
	mov [tsc_start + 4], edx
.no_tsc:
	call crc_make_table
	mov dword [round], 0
.round:
	call sieve
	cmp eax, SIEVE_PRIMES
	jne fail_sieve
	call mix

	call fill_data
	call crc_bitwise
	mov ebx, eax
	mov esi, data
	mov ecx, CRC_BIT_LEN
	call crc_table
	cmp eax, ebx
	jne fail_crc
	call mix
	mov esi, data
	mov ecx, DATA_LEN
	call crc_table
	call mix

	call sort_quick
	call mix
	call sort_insertion
	call mix
	call collatz
	call mix
	call muldiv
	call mix

	inc dword [round]
	cmp dword [round], ROUNDS
	jb .round

	BENCH_PRINT_CHECKSUM

	cmp byte [opt_tsc], 0
	je done
	rdtsc
	sub eax, [tsc_start]
	sbb edx, [tsc_start + 4]
	mov esi, s_tsc
	call puts
	xchg eax, edx
	call puthex
	mov al, ' '
	call putc
	mov eax, edx
	call puthex
	call newline
	BENCH_DONE

fail_sieve:
	mov esi, s_fail_sieve
	jmp fail
fail_crc:
	mov esi, s_fail_crc
	jmp fail
fail_sort:
	mov esi, s_fail_sort
	jmp fail

; sieve: EAX = number of primes below SIEVE_N (Eratosthenes).
sieve:
	mov edi, sieve_buf
	mov ecx, SIEVE_N / 4
	mov eax, 0x01010101
.init:
	mov [edi], eax
	add edi, 4
	dec ecx
	jnz .init
	mov byte [sieve_buf], 0
	mov byte [sieve_buf + 1], 0
	mov ebx, 2
.outer:
	mov eax, ebx
	imul eax, ebx
	cmp eax, SIEVE_N
	jae .count
	cmp byte [sieve_buf + ebx], 0
	je .next
.inner:
	mov byte [sieve_buf + eax], 0
	add eax, ebx
	cmp eax, SIEVE_N
	jb .inner
.next:
	inc ebx
	jmp .outer
.count:
	xor eax, eax
	xor ecx, ecx
.cnt:
	movzx edx, byte [sieve_buf + ecx]
	add eax, edx
	inc ecx
	cmp ecx, SIEVE_N
	jb .cnt
	ret

; fill_data: DATA_LEN bytes from a linear congruential generator seeded
; by the round number (Numerical Recipes constants).
fill_data:
	mov eax, [round]
	imul eax, eax, 0x2545f491
	add eax, 12345
	mov edi, data
	mov ecx, DATA_LEN / 4
.f:
	imul eax, eax, 1664525
	add eax, 1013904223
	mov [edi], eax
	add edi, 4
	dec ecx
	jnz .f
	ret

; crc_bitwise: EAX = CRC-32 of the first CRC_BIT_LEN bytes of data.
crc_bitwise:
	mov esi, data
	mov ecx, CRC_BIT_LEN
	mov eax, -1
.byte:
	xor al, [esi]
	mov edx, 8
.bit:
	shr eax, 1
	jnc .no_xor
	xor eax, CRC_POLY
.no_xor:
	dec edx
	jnz .bit
	inc esi
	dec ecx
	jnz .byte
	not eax
	ret

crc_make_table:
	xor ecx, ecx
.entry:
	mov eax, ecx
	mov edx, 8
.bit:
	shr eax, 1
	jnc .no_xor
	xor eax, CRC_POLY
.no_xor:
	dec edx
	jnz .bit
	mov [crc_tab + ecx * 4], eax
	inc ecx
	cmp ecx, 256
	jb .entry
	ret

; crc_table: EAX = CRC-32 of ECX bytes at ESI, a byte at a time.
crc_table:
	mov eax, -1
.b:
	movzx edx, byte [esi]
	xor dl, al
	shr eax, 8
	xor eax, [crc_tab + edx * 4]
	inc esi
	dec ecx
	jnz .b
	not eax
	ret

; sort_quick: sorts the first QSORT_N dwords of data (unsigned), checks
; the order, EAX = sum of a[i] * i.
sort_quick:
	mov esi, 0
	mov edi, QSORT_N - 1
	call qsort
	mov ecx, 1
	xor ebx, ebx
.check:
	mov eax, [data + ecx * 4 - 4]
	cmp eax, [data + ecx * 4]
	ja fail_sort
	mov eax, [data + ecx * 4]
	imul eax, ecx
	add ebx, eax
	inc ecx
	cmp ecx, QSORT_N
	jb .check
	mov eax, ebx
	ret

; qsort: Hoare partition quicksort of data[ESI..EDI] (dword indexes,
; inclusive). Clobbers everything but ESP.
qsort:
	cmp esi, edi
	jge .done
	lea eax, [esi + edi]
	shr eax, 1
	mov ebp, [data + eax * 4]       ; pivot
	lea ecx, [esi - 1]
	lea edx, [edi + 1]
.scan_i:
	inc ecx
	cmp [data + ecx * 4], ebp
	jb .scan_i
.scan_j:
	dec edx
	cmp [data + edx * 4], ebp
	ja .scan_j
	cmp ecx, edx
	jge .split
	mov eax, [data + ecx * 4]
	mov ebx, [data + edx * 4]
	mov [data + ecx * 4], ebx
	mov [data + edx * 4], eax
	jmp .scan_i
.split:
	push edi
	push edx
	mov edi, edx
	call qsort                      ; lo .. j
	pop esi
	inc esi
	pop edi
	jmp qsort                       ; j + 1 .. hi
.done:
	ret

; sort_insertion: insertion sort of ISORT_N dwords taken from the middle
; of data (signed order this time), EAX = a[0] ^ a[n/2] ^ a[n-1].
sort_insertion:
	mov esi, data + DATA_LEN / 2
	mov edi, isort_buf
	mov ecx, ISORT_N
.copy:
	mov eax, [esi]
	mov [edi], eax
	add esi, 4
	add edi, 4
	dec ecx
	jnz .copy
	mov ecx, 1
.outer:
	mov eax, [isort_buf + ecx * 4]
	mov edx, ecx
.shift:
	test edx, edx
	jz .place
	mov ebx, [isort_buf + edx * 4 - 4]
	cmp ebx, eax
	jle .place
	mov [isort_buf + edx * 4], ebx
	dec edx
	jmp .shift
.place:
	mov [isort_buf + edx * 4], eax
	inc ecx
	cmp ecx, ISORT_N
	jb .outer
	mov ecx, 1
.check:
	mov eax, [isort_buf + ecx * 4 - 4]
	cmp eax, [isort_buf + ecx * 4]
	jg fail_sort
	inc ecx
	cmp ecx, ISORT_N
	jb .check
	mov eax, [isort_buf]
	xor eax, [isort_buf + ISORT_N / 2 * 4]
	xor eax, [isort_buf + (ISORT_N - 1) * 4]
	ret

; collatz: total steps to reach 1 from each of COLLATZ_N start values
; beginning at 1 + round * COLLATZ_N (all trajectories stay below 2^32
; for starts below 77671 * 2).
collatz:
	mov ebx, [round]
	imul ebx, ebx, COLLATZ_N
	inc ebx
	mov edi, COLLATZ_N
	xor esi, esi
.start:
	mov eax, ebx
.step:
	cmp eax, 1
	je .reached
	inc esi
	test al, 1
	jnz .odd
	shr eax, 1
	jmp .step
.odd:
	lea eax, [eax + eax * 2 + 1]
	jmp .step
.reached:
	inc ebx
	dec edi
	jnz .start
	mov eax, esi
	ret

; muldiv: a chain of MUL, DIV, IMUL and IDIV whose every result feeds the
; next; EAX = the final state.
muldiv:
	mov esi, [round]
	add esi, 0x12345678
	mov ecx, MULDIV_N
.l:
	mov eax, esi
	mul ecx                         ; EDX:EAX = state * i
	and edx, 0x7fffffff
	mov ebx, ecx
	or ebx, 0x80000000              ; divisor above EDX: no #DE
	div ebx
	xor esi, edx
	rol esi, 7
	add esi, eax
	mov eax, esi
	sar eax, 3
	imul eax, eax, -7
	cdq
	mov ebx, ecx
	or ebx, 1
	idiv ebx
	add esi, edx
	sub esi, eax
	dec ecx
	jnz .l
	mov eax, esi
	ret

	section .rodata
s_tsc:		db "tsc=0x", 0
s_fail_sieve:	db "int: FAIL sieve", 10, 0
s_fail_crc:	db "int: FAIL crc", 10, 0
s_fail_sort:	db "int: FAIL sort", 10, 0

	section .bss
	alignb 16
tsc_start:	resd 2
	alignb 16
crc_tab:	resd 256
isort_buf:	resd ISORT_N
data:		resb DATA_LEN
sieve_buf:	resb SIEVE_N
