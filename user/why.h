/* SPDX-License-Identifier: GPL-2.0 */
/* nslife why: release hints and the JSON and dot renderings. */
#ifndef NSL_WHY_H
#define NSL_WHY_H

#include <stddef.h>
#include "scan.h"

void why_release(const struct snap *s, const struct snap_holder *h, char *buf,
		 size_t size);
void why_json(const struct snap *s, int ns);
void why_json_dead(const struct nsl_ns *key);
void why_dot(const struct snap *s, int ns);

#endif
