/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to qapi/qmp-*.c: what a registered QMP command holds.  Others
 * use the accessors of include/qapi/qmp/dispatch.h.
 */
#ifndef QAPI_QMP_COMMAND_H
#define QAPI_QMP_COMMAND_H

#include "qapi/qmp/dispatch.h"

struct QmpCommand {
    char *name;
    QmpCommandFunc *fn;
    QmpCommandOptions options;
    unsigned special_features;
    bool enabled;
    char *disable_reason;       /* from qmp_disable_command(), or NULL */
};

#endif
