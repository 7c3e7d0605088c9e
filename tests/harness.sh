#!/bin/sh
# Runs one test command and records its result.
#   harness.sh RESULTS NAME CMD [ARGS...]
# Appends "pass NAME" or "fail NAME" to RESULTS and prints a line; the
# command's output goes to RESULTS.d/NAME.log and is shown on failure.
results=$1 name=$2
shift 2
log="$results.d/$(echo "$name" | tr '/ ' '__').log"
mkdir -p "$results.d"
# Standard input is never the developer's terminal: vmxsim would read it
# as COM1's input.
if "$@" >"$log" 2>&1 </dev/null; then
	echo "pass $name" >>"$results"
	echo "  PASS  $name"
else
	rc=$?
	echo "fail $name" >>"$results"
	echo "  FAIL  $name (exit $rc); last lines of $log:"
	tail -n 20 "$log" | sed 's/^/        /'
fi
# Lines a test prints starting with "SUMMARY:" are figures worth seeing.
grep '^SUMMARY:' "$log" | sed 's/^/        /'
exit 0
