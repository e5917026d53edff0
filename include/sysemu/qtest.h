/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The qtest server: a line protocol through which tests drive the
 * virtual clock ("clock_step [NS]", "clock_set NS" answered "OK NOW").
 */
#ifndef SYSEMU_QTEST_H
#define SYSEMU_QTEST_H

#include "chardev/char.h"

/**
 * qtest_server_init:
 * Serve the qtest protocol on @chr.
 */
bool qtest_server_init(Chardev *chr, Error **errp);

/**
 * qtest_server_cleanup:
 * Stop serving and free the server.
 */
void qtest_server_cleanup(void);

#endif
