#!/bin/sh
# Prints nslife's version: the Makefile's VERSION ($1), and in a git
# checkout the commit it was built from ("0.1.0 (git e7c791a-dirty)").
# Builds without git, or from a tarball, print VERSION alone.
v=${1:?usage: version.sh VERSION}
cd "$(dirname "$0")/.." || exit 1
if command -v git >/dev/null 2>&1 &&
   [ "$(git rev-parse --show-toplevel 2>/dev/null)" = "$(pwd -P)" ] &&
   g=$(git describe --always --dirty --abbrev=12 2>/dev/null) && [ -n "$g" ]; then
	echo "$v (git $g)"
else
	echo "$v"
fi
