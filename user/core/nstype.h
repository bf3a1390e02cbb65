/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The namespace types (NSL_T_* of the BPF ABI): their names, as in
 * /proc/PID/ns, and their CLONE_NEW* flags.  The one table of them.
 */
#ifndef NSL_NSTYPE_H
#define NSL_NSTYPE_H

/* "net"; "-" for NSL_T_NONE, "?" past the end */
const char *nsl_type_name(unsigned int type);
/* "net" → NSL_T_NET, -1 if unknown */
int nsl_type_parse(const char *s);
/*
 * The type a /proc/PID/ns link or an NS spec names: "net", "net:[...]",
 * "pid_for_children" → NSL_T_PID; NSL_T_NONE if none.
 */
int nsl_type_parse_base(const char *s);
/* CLONE_NEW* ↔ NSL_T_*: NSL_T_NONE, 0 if none */
unsigned int nsl_type_from_clone(unsigned long flag);
unsigned long nsl_type_clone_flag(unsigned int type);

#endif
