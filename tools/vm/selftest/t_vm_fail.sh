#!/bin/bash
# VM self-test: must be reported as FAILED (proves failures come back).
echo "deliberate failure"
exit 1
