// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the snapshot blob decoder (snapio.h), which reads what
 * a log file says: any bytes must decode or be refused, never crash, and a
 * decoded snapshot's indexes must all be in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include "snapio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapio d;

	if (snapio_decode(data, size, &d))
		return 0;
	snapio_free(&d);
	return 0;
}
