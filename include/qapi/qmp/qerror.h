/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Message formats shared by the QAPI runtime and generated code, so that
 * the same mistake reads the same wherever it is caught.
 */
#ifndef QAPI_QMP_QERROR_H
#define QAPI_QMP_QERROR_H

#define QERR_INVALID_PARAMETER "Invalid parameter '%s'"
#define QERR_INVALID_PARAMETER_TYPE \
    "Invalid parameter type for '%s', expected: %s"
#define QERR_INVALID_PARAMETER_VALUE "Parameter '%s' expects %s"
#define QERR_MISSING_PARAMETER "Parameter '%s' is missing"
#define QERR_PROPERTY_VALUE_OUT_OF_RANGE \
    "Property %s.%s doesn't take value %" PRId64 \
    " (minimum: %" PRId64 ", maximum: %" PRId64 ")"
#define QERR_QMP_BAD_INPUT_OBJECT_MEMBER \
    "QMP input member '%s' must be %s"
#define QERR_QMP_EXTRA_MEMBER "QMP input member '%s' is unexpected"
#define QERR_DEVICE_NOT_FOUND "Device '%s' not found"
#define QERR_UNSUPPORTED "this feature or command is not currently supported"

#endif
