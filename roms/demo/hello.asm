; hello.asm - the demo guest for `make run`: a banner over COM1, the CPU's
; vendor, family, model and stepping from CPUID, a trip to 64-bit mode and
; back, "done", and exit value 0 through the debug-exit port.

%include "test.inc"

CPUID_LM        equ 1 << 29                 ; CPUID 80000001h EDX: long mode

section .text
main:
	PRINTLN "vmxsim demo guest: hello from 32-bit protected mode"

	xor eax, eax
	cpuid                               ; vendor in EBX, EDX, ECX
	mov [vendor], ebx
	mov [vendor + 4], edx
	mov [vendor + 8], ecx
	mov [max_leaf], eax
	PRINT "cpu: "
	mov esi, vendor
	call com1_puts32
	cmp dword [max_leaf], 1
	jb .no_leaf1
	mov eax, 1
	cpuid
	mov ebx, eax                        ; SDM Vol. 2A CPUID: display family
	shr ebx, 8                          ; and model from the base and
	and ebx, 0xf                        ; extended fields
	mov ecx, eax
	shr ecx, 4
	and ecx, 0xf
	cmp ebx, 0xf
	jne .model
	mov edx, eax
	shr edx, 20
	and edx, 0xff
	add ebx, edx                        ; family 0Fh: + extended family
.model:
	cmp ebx, 6
	je .ext_model
	cmp ebx, 0xf
	jb .print
.ext_model:
	mov edx, eax
	shr edx, 12
	and edx, 0xf0
	add ecx, edx                        ; family 06h/0Fh+: + extended model
.print:
	and eax, 0xf
	PRINT " family "
	PUTDEC ebx
	PRINT " model "
	PUTDEC ecx
	PRINT " stepping "
	PUTDEC eax
.no_leaf1:
	PRINTLN ""

	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long
	mov eax, 0x80000001
	cpuid
	test edx, CPUID_LM
	jz .no_long
	ENTER_LONG
	PRINTLN "long mode: hello from 64-bit mode"
	LEAVE_LONG
	PRINTLN "long mode: back in 32-bit protected mode"
	jmp .done
.no_long:
	PRINTLN "long mode: not supported by this CPU"
.done:
	PRINTLN "done"
	ret

section .data
vendor:         times 13 db 0
align 4
max_leaf:       dd 0
