/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The -compat policy for deprecated and unstable interfaces: the process
 * wide setting and the one check every input path (commands, members,
 * enum values) goes through, so they all word the refusal alike.
 */
#include "qemu/osdep.h"
#include "qapi/compat-policy.h"

CompatPolicy compat_policy;

#ifndef QAPI_COMPAT_POLICY_GENERATED
static const char *const compat_policy_input_names[] = {
    [COMPAT_POLICY_INPUT_ACCEPT] = "accept",
    [COMPAT_POLICY_INPUT_REJECT] = "reject",
    [COMPAT_POLICY_INPUT_CRASH] = "crash",
};

static const char *const compat_policy_output_names[] = {
    [COMPAT_POLICY_OUTPUT_ACCEPT] = "accept",
    [COMPAT_POLICY_OUTPUT_HIDE] = "hide",
};

const QEnumLookup CompatPolicyInput_lookup = {
    .array = compat_policy_input_names,
    .size = COMPAT_POLICY_INPUT__MAX,
};

const QEnumLookup CompatPolicyOutput_lookup = {
    .array = compat_policy_output_names,
    .size = COMPAT_POLICY_OUTPUT__MAX,
};
#endif

/* Apply one policy; @adjective says which feature it is for. */
static bool compat_policy_check(CompatPolicyInput policy,
                                ErrorClass error_class,
                                const char *adjective, const char *kind,
                                const char *name, Error **errp)
{
    switch (policy) {
    case COMPAT_POLICY_INPUT_ACCEPT:
        return true;
    case COMPAT_POLICY_INPUT_REJECT:
        error_set(errp, error_class, "%s %s %s disabled by policy",
                  adjective, kind, name);
        return false;
    default:
        /* "crash" is asked for by testers who want a hard failure. */
        abort();
    }
}

bool compat_policy_input_ok(unsigned special_features,
                            const CompatPolicy *policy,
                            ErrorClass error_class,
                            const char *kind, const char *name,
                            Error **errp)
{
    if ((special_features & (1u << QAPI_DEPRECATED))
        && !compat_policy_check(policy->deprecated_input, error_class,
                                "Deprecated", kind, name, errp)) {
        return false;
    }
    if ((special_features & (1u << QAPI_UNSTABLE))
        && !compat_policy_check(policy->unstable_input, error_class,
                                "Unstable", kind, name, errp)) {
        return false;
    }
    return true;
}
