/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The output visitor that turns a QAPI object into a QObject tree, used to
 * build QMP replies and events.
 */
#ifndef QAPI_QOBJECT_OUTPUT_VISITOR_H
#define QAPI_QOBJECT_OUTPUT_VISITOR_H

#include "qapi/visitor.h"

/**
 * qobject_output_visitor_new:
 * Return an output visitor.  After one successful top-level visit,
 * visit_complete(v, result) stores a new reference to the tree in
 * *@result (the same pointer must be given here and there).  A NULL
 * string visits as "".
 */
Visitor *qobject_output_visitor_new(QObject **result);

/**
 * qobject_output_visitor_new_qmp:
 * Like qobject_output_visitor_new(), applying the global compat_policy
 * (deprecated-output=hide leaves deprecated members out).
 */
Visitor *qobject_output_visitor_new_qmp(QObject **result);

#endif
