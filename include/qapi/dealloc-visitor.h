/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The dealloc visitor frees a QAPI object, including one left half-built
 * by a failed input visit.  Generated qapi_free_FOO() functions use it.
 */
#ifndef QAPI_DEALLOC_VISITOR_H
#define QAPI_DEALLOC_VISITOR_H

#include "qapi/visitor.h"

/**
 * qapi_dealloc_visitor_new:
 * Return a visitor that frees whatever it visits and sets the pointers it
 * freed to NULL.  It never fails.
 */
Visitor *qapi_dealloc_visitor_new(void);

#endif
