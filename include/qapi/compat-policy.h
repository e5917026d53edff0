/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compatibility policy: what QMP does with deprecated and unstable
 * interfaces, as set with -compat deprecated-input=...,deprecated-output=...
 * (and unstable-input/unstable-output).
 *
 * In QEMU the enums and struct below are generated from the schema
 * (qapi/compat.json); they are written by hand here until the schema
 * carries them.  The wire names are "accept", "reject", "crash" for input
 * and "accept", "hide" for output.
 */
#ifndef QAPI_COMPAT_POLICY_H
#define QAPI_COMPAT_POLICY_H

#include "qapi/error.h"
#include "qapi/util.h"

#ifndef QAPI_COMPAT_POLICY_GENERATED
typedef enum CompatPolicyInput {
    COMPAT_POLICY_INPUT_ACCEPT,
    COMPAT_POLICY_INPUT_REJECT,
    COMPAT_POLICY_INPUT_CRASH,
    COMPAT_POLICY_INPUT__MAX,
} CompatPolicyInput;

typedef enum CompatPolicyOutput {
    COMPAT_POLICY_OUTPUT_ACCEPT,
    COMPAT_POLICY_OUTPUT_HIDE,
    COMPAT_POLICY_OUTPUT__MAX,
} CompatPolicyOutput;

/* The has_ flags say whether the option was given; absent means accept. */
typedef struct CompatPolicy {
    bool has_deprecated_input;
    CompatPolicyInput deprecated_input;
    bool has_deprecated_output;
    CompatPolicyOutput deprecated_output;
    bool has_unstable_input;
    CompatPolicyInput unstable_input;
    bool has_unstable_output;
    CompatPolicyOutput unstable_output;
} CompatPolicy;

/* Wire names, indexed by the enums above. */
extern const QEnumLookup CompatPolicyInput_lookup;
extern const QEnumLookup CompatPolicyOutput_lookup;
#endif

/* The process-wide policy, set from -compat; all-accept by default. */
extern CompatPolicy compat_policy;

/**
 * compat_policy_input_ok:
 * Check input carrying @special_features (QapiSpecialFeature bits) against
 * @policy.  @kind and @name describe it for the message, e.g. "Deprecated
 * command" and "foo" give "Deprecated command foo disabled by policy",
 * raised with @error_class.  "crash" aborts the process, as -compat asks.
 * Return true if the input may be used.
 */
bool compat_policy_input_ok(unsigned special_features,
                            const CompatPolicy *policy,
                            ErrorClass error_class,
                            const char *kind, const char *name,
                            Error **errp);

#endif
