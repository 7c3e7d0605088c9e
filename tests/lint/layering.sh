#!/bin/sh
# Checks who may include whom (DESIGN.md, "Who may include whom"):
#   util/               nothing of the project's
#   cpu/, vmx/          util/, cpu/, vmx/ (never devices or front ends)
#   platform/           util/ and the public CPU headers (cpu.h, bus.h,
#                       model.h, and regs.h for architectural bits)
#   scripting/, frontend/  anything below them
# Prints each violation; fails if there is one.
cd "$(dirname "$0")/../.." || exit 1
bad=0
check() { # dir allowed-regex
	for f in "$1"/*.c "$1"/*.h; do
		[ -f "$f" ] || continue
		grep -o '#include "[^"]*"' "$f" | sed 's/#include "\(.*\)"/\1/' |
		while read -r inc; do
			if ! echo "$inc" | grep -Eq "$2"; then
				echo "$f includes $inc"
			fi
		done
	done
}
out=$( {
	check util '^util/'
	check cpu '^(util|cpu|vmx)/'
	check vmx '^(util|cpu|vmx)/'
	check platform '^(util|platform)/|^cpu/(cpu|bus|model|regs)\.h$'
	check scripting '^(util|cpu|vmx|platform|scripting)/'
	check frontend '^(util|cpu|vmx|platform|scripting|frontend)/'
} )
if [ -n "$out" ]; then
	echo "$out"
	echo "SUMMARY: layering: $(echo "$out" | wc -l) forbidden includes"
	exit 1
fi
echo "SUMMARY: layering: no forbidden includes"
