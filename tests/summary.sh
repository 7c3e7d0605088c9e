#!/bin/sh
# Prints the closing line of a test run and fails if anything failed.
results=$1
passed=$(grep -c '^pass ' "$results" 2>/dev/null)
failed=$(grep -c '^fail ' "$results" 2>/dev/null)
echo
echo "${passed:-0} passed, ${failed:-0} failed"
[ "${passed:-0}" -gt 0 ] && [ "${failed:-0}" -eq 0 ]
