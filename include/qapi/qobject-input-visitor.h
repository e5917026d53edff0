/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The input visitor that builds QAPI objects from a QObject tree: strict
 * typed mode for QMP, and keyval mode (all scalars are strings, as from
 * the command line) for -blockdev style options.
 */
#ifndef QAPI_QOBJECT_INPUT_VISITOR_H
#define QAPI_QOBJECT_INPUT_VISITOR_H

#include "qapi/visitor.h"

/**
 * qobject_input_visitor_new:
 * Return an input visitor over @obj, which must stay alive until the
 * visitor is freed (a reference is taken).  Scalars must have their JSON
 * types; errors name members by path ("Parameter 'file.driver' is
 * missing").
 */
Visitor *qobject_input_visitor_new(QObject *obj);

/**
 * qobject_input_visitor_new_qmp:
 * Like qobject_input_visitor_new(), applying the global compat_policy.
 * Generated QMP marshallers use this one.
 */
Visitor *qobject_input_visitor_new_qmp(QObject *obj);

/**
 * qobject_input_visitor_new_keyval:
 * Like qobject_input_visitor_new() for the output of keyval_parse(): every
 * scalar is a string and is converted on visit (integers, sizes with
 * suffixes, on/off booleans, numbers); an empty-string value stands for
 * null.
 */
Visitor *qobject_input_visitor_new_keyval(QObject *obj);

/**
 * qobject_input_visitor_new_str:
 * Parse @str as a JSON object when it starts with '{', else as
 * KEY=VALUE,... with keyval_parse() (@implied_key names a leading bare
 * value, may be NULL), and return a visitor over the result: strict mode
 * for JSON, keyval mode for the rest.  Return NULL with @errp set when
 * @str does not parse.  This is how options such as -blockdev accept
 * both spellings.
 */
Visitor *qobject_input_visitor_new_str(const char *str,
                                       const char *implied_key,
                                       Error **errp);

#endif
