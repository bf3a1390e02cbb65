/* SPDX-License-Identifier: GPL-2.0 */
/* One entry point per subcommand; each lives in its own file. */
#ifndef NSL_COMMANDS_H
#define NSL_COMMANDS_H

int cmd_trace(int argc, char **argv);
int cmd_features(int argc, char **argv);
int cmd_ls(int argc, char **argv);
int cmd_why(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_replay(int argc, char **argv);
int cmd_timeline(int argc, char **argv);
int cmd_daemon(int argc, char **argv);

#endif
