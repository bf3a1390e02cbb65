// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "commands.h"
#include "nslife.skel.h"
int cmd_trace(int argc, char **argv) { fprintf(stderr, "nslife: trace not yet\n"); return 2; }
int cmd_features(int argc, char **argv) { return 2; }
