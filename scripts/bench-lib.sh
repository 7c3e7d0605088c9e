# Shell functions the benchmark scripts share (sourced, not run).

# The median of the numbers on standard input, one a line.
median() {
	sort -n | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2];
		else print int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

secs() {
	awk -v ns="$1" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

mips() {
	awk -v n="$1" -v ns="$2" 'BEGIN { printf "%.1f", n / (ns / 1e3) }'
}
