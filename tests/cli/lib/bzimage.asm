; A hand-made bzImage: the Linux boot protocol's setup header
; (Documentation/arch/x86/boot.rst, "The Real-Mode Kernel Header") and a
; protected-mode part that reports, on COM1, what the loader gave it,
; then exits through port 0xf4 with 0 (status 1). No real-mode code: it
; is only for loaders that start the protected-mode kernel directly.
;   nasm -f bin -DVERSION=0x0205 -o old.bin bzimage.asm
; The 32-bit entry (offset 0 of the protected-mode part) prints
;   entry=32 eip=... esi=... cs=... ds=... ss=... if=...
; and the 64-bit entry (offset 0x200) prints
;   entry=64 rip=... rsi=... cs=... ds=... es=... ss=... if=... lma=...
;   loader= loadflags= heap_end= vid_mode= code32= version= cmdline_ptr=
;   cmdline=<the string>  initrd=<start> <size>  initrd_data=<first line>
;   rsdp=<address> <its first 8 bytes>  e820=<count>
;   e820=<addr> <size> <type>   (one per entry)
; Numbers are 0x and 8 or 16 hex digits.

%ifndef VERSION
%define VERSION 0x020f
%endif
%ifndef LOADFLAGS
%define LOADFLAGS 0x01          ; LOADED_HIGH
%endif
%ifndef XLOADFLAGS
%define XLOADFLAGS 0x0001       ; XLF_KERNEL_64
%endif
%ifndef PREF
%define PREF 0x1000000
%endif
%ifndef INIT_SIZE
%define INIT_SIZE 0x400000
%endif
%ifndef SETUP_SECTS
%define SETUP_SECTS 1
%endif
%ifndef ALIGNMENT
%define ALIGNMENT 0x200000
%endif
%ifndef RELOCATABLE
%define RELOCATABLE 1
%endif
%ifndef CMDLINE_SIZE
%define CMDLINE_SIZE 255
%endif
%ifndef INITRD_MAX
%define INITRD_MAX 0x7fffffff
%endif
%ifndef SYSSIZE
%define SYSSIZE ((pm_end - pm_start + 15) / 16)
%endif

%assign SETUP_BYTES (SETUP_SECTS + 1) * 512

COM1 equ 0x3f8
COM1_LSR equ COM1 + 5
LSR_THRE equ 0x20
EXIT_PORT equ 0xf4
BP_RSDP equ 0x070
BP_E820_ENTRIES equ 0x1e8
BP_E820_TABLE equ 0x2d0

	section setup start=0 vstart=0
	times 0x1f1 db 0
	db SETUP_SECTS                  ; 0x1f1 setup_sects
	dw 0                            ; 0x1f2 root_flags
	dd SYSSIZE                      ; 0x1f4 syssize (16-byte units)
	dw 0                            ; 0x1f8 ram_size
	dw 0                            ; 0x1fa vid_mode
	dw 0                            ; 0x1fc root_dev
	dw 0xaa55                       ; 0x1fe boot_flag
	db 0xeb, hdr_end - 0x202        ; 0x200 jump over the header
	db "HdrS"                       ; 0x202 header
	dw VERSION                      ; 0x206 version
	dd 0                            ; 0x208 realmode_swtch
	dw 0                            ; 0x20c start_sys_seg
	dw 0                            ; 0x20e kernel_version
	db 0                            ; 0x210 type_of_loader
	db LOADFLAGS                    ; 0x211 loadflags
	dw 0                            ; 0x212 setup_move_size
	dd 0x100000                     ; 0x214 code32_start
	dd 0, 0                         ; 0x218 ramdisk_image, ramdisk_size
	dd 0                            ; 0x220 bootsect_kludge
	dw 0                            ; 0x224 heap_end_ptr
	db 0, 0                         ; 0x226 ext_loader_ver, ext_loader_type
	dd 0                            ; 0x228 cmd_line_ptr
	dd INITRD_MAX                   ; 0x22c initrd_addr_max
	dd ALIGNMENT                    ; 0x230 kernel_alignment
	db RELOCATABLE                  ; 0x234 relocatable_kernel
	db 21                           ; 0x235 min_alignment (2 MiB)
	dw XLOADFLAGS                   ; 0x236 xloadflags
	dd CMDLINE_SIZE                 ; 0x238 cmdline_size
	dd 0                            ; 0x23c hardware_subarch
	dq 0                            ; 0x240 hardware_subarch_data
	dd 0, 0                         ; 0x248 payload_offset, payload_length
	dq 0                            ; 0x250 setup_data
	dq PREF                         ; 0x258 pref_address
	dd INIT_SIZE                    ; 0x260 init_size
	dd 0                            ; 0x264 handover_offset
	dd 0                            ; 0x268 kernel_info_offset
hdr_end:
	times SETUP_BYTES - ($ - $$) db 0

	section pm start=SETUP_BYTES vstart=PREF
pm_start:

; --- 32-bit entry: the 32-bit boot protocol. ---
	bits 32
entry32:
	mov ebp, esi
	mov esp, stack_top
	mov esi, s_entry32
	call puts32
	call here32
here32:
	pop eax
	sub eax, here32 - entry32
	mov esi, s_eip
	call field32
	mov eax, ebp
	mov esi, s_esi
	call field32
	mov eax, cs
	mov esi, s_cs
	call field32
	mov eax, ds
	mov esi, s_ds
	call field32
	mov eax, ss
	mov esi, s_ss
	call field32
	pushfd
	pop eax
	shr eax, 9
	and eax, 1
	mov esi, s_if
	call field32
	mov al, 10
	call putc32
	mov dx, EXIT_PORT
	xor eax, eax
	out dx, al
	cli
	hlt

putc32:
	push edx
	push eax
	mov dx, COM1_LSR
.wait:
	in al, dx
	test al, LSR_THRE
	jz .wait
	pop eax
	mov dx, COM1
	out dx, al
	pop edx
	ret

puts32:
	push eax
	push esi
.next:
	lodsb
	test al, al
	jz .done
	call putc32
	jmp .next
.done:
	pop esi
	pop eax
	ret

; field32: ESI = " name=", EAX = value, printed as 0x + 8 digits.
field32:
	call puts32
	push ecx
	push edx
	mov edx, eax
	mov al, '0'
	call putc32
	mov al, 'x'
	call putc32
	mov ecx, 8
.digit:
	rol edx, 4
	mov al, dl
	and al, 0x0f
	add al, '0'
	cmp al, '9'
	jbe .emit
	add al, 'a' - '0' - 10
.emit:
	call putc32
	loop .digit
	pop edx
	pop ecx
	ret

	times 0x200 - ($ - pm_start) db 0xcc

; --- 64-bit entry, at offset 0x200. ---
	bits 64
entry64:
	mov rbp, rsi                    ; boot_params
	lea rsp, [rel stack_top]
	lea rsi, [rel s_entry64]
	call puts
	lea rax, [rel entry64]
	lea rsi, [rel s_rip]
	call field
	mov rax, rbp
	lea rsi, [rel s_rsi]
	call field
	mov eax, cs
	lea rsi, [rel s_cs]
	call field
	mov eax, ds
	lea rsi, [rel s_ds]
	call field
	mov eax, es
	lea rsi, [rel s_es]
	call field
	mov eax, ss
	lea rsi, [rel s_ss]
	call field
	pushfq
	pop rax
	shr eax, 9
	and eax, 1
	lea rsi, [rel s_if]
	call field
	mov ecx, 0xc0000080             ; IA32_EFER
	rdmsr
	shr eax, 10                     ; LMA
	and eax, 1
	lea rsi, [rel s_lma]
	call field
	call newline

	movzx eax, byte [rbp + 0x210]
	lea rsi, [rel s_loader]
	call field
	movzx eax, byte [rbp + 0x211]
	lea rsi, [rel s_loadflags]
	call field
	movzx eax, word [rbp + 0x224]
	lea rsi, [rel s_heap]
	call field
	movzx eax, word [rbp + 0x1fa]
	lea rsi, [rel s_vid]
	call field
	mov eax, [rbp + 0x214]
	lea rsi, [rel s_code32]
	call field
	movzx eax, word [rbp + 0x206]
	lea rsi, [rel s_version]
	call field
	mov eax, [rbp + 0x228]
	lea rsi, [rel s_cmdptr]
	call field
	call newline

	lea rsi, [rel s_cmdline]
	call puts
	mov esi, [rbp + 0x228]
	call puts
	call newline

	lea rsi, [rel s_initrd]
	call puts
	mov eax, [rbp + 0x218]
	call puthex
	mov al, ' '
	call putc
	mov eax, [rbp + 0x21c]
	call puthex
	call newline
	lea rsi, [rel s_initrd_data]
	call puts
	mov esi, [rbp + 0x218]
	mov ecx, [rbp + 0x21c]
	test esi, esi
	jz .initrd_done
.initrd_byte:
	test ecx, ecx
	jz .initrd_done
	mov al, [rsi]
	cmp al, 10
	je .initrd_done
	call putc
	inc rsi
	dec ecx
	jmp .initrd_byte
.initrd_done:
	call newline

	lea rsi, [rel s_rsdp]
	call puts
	mov rax, [rbp + BP_RSDP]
	call puthex64
	mov al, ' '
	call putc
	mov rsi, [rbp + BP_RSDP]
	mov ecx, 8
	test rsi, rsi
	jz .rsdp_done
.rsdp_byte:
	mov al, [rsi]
	call putc
	inc rsi
	loop .rsdp_byte
.rsdp_done:
	call newline

	movzx ecx, byte [rbp + BP_E820_ENTRIES]
	lea rsi, [rel s_e820]
	mov eax, ecx
	call field
	call newline
	lea rbx, [rbp + BP_E820_TABLE]
.e820:
	test ecx, ecx
	jz .e820_done
	lea rsi, [rel s_e820]
	call puts
	mov rax, [rbx]
	call puthex64
	mov al, ' '
	call putc
	mov rax, [rbx + 8]
	call puthex64
	mov al, ' '
	call putc
	mov eax, [rbx + 16]
	call puthex
	call newline
	add rbx, 20
	dec ecx
	jmp .e820
.e820_done:
	mov dx, EXIT_PORT
	xor eax, eax
	out dx, al
	cli
	hlt

%include "serial64.inc"

s_entry32:	db "entry=32", 0
s_eip:		db " eip=", 0
s_esi:		db " esi=", 0
s_entry64:	db "entry=64", 0
s_rip:		db " rip=", 0
s_rsi:		db " rsi=", 0
s_cs:		db " cs=", 0
s_ds:		db " ds=", 0
s_es:		db " es=", 0
s_ss:		db " ss=", 0
s_if:		db " if=", 0
s_lma:		db " lma=", 0
s_loader:	db "loader=", 0
s_loadflags:	db " loadflags=", 0
s_heap:		db " heap_end=", 0
s_vid:		db " vid_mode=", 0
s_code32:	db " code32=", 0
s_version:	db " version=", 0
s_cmdptr:	db " cmdline_ptr=", 0
s_cmdline:	db "cmdline=", 0
s_initrd:	db "initrd=", 0
s_initrd_data:	db "initrd_data=", 0
s_rsdp:		db "rsdp=", 0
s_e820:		db "e820=", 0

	align 16
	times 512 db 0
stack_top:
pm_end:
