/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Error objects: a human-readable sentence plus a QMP error class.
 *
 * Rules (see docs/devel/style.rst):
 * - A function that can fail takes "Error **errp" as its last parameter
 *   and also signals failure through its return value (false, NULL or a
 *   negative errno).  The callee never reads *errp.
 * - errp may be NULL (caller does not care), &error_abort (failure is a
 *   programming error: abort), or &error_fatal (report and exit(1)).
 * - Report an error or return it, never both.
 */
#ifndef QAPI_ERROR_H
#define QAPI_ERROR_H

typedef struct Error Error;

/* The QMP error classes; the names on the wire are QEMU's. */
typedef enum ErrorClass {
    ERROR_CLASS_GENERIC_ERROR,
    ERROR_CLASS_COMMAND_NOT_FOUND,
    ERROR_CLASS_DEVICE_NOT_ACTIVE,
    ERROR_CLASS_DEVICE_NOT_FOUND,
    ERROR_CLASS_KVM_MISSING_CAP,
    ERROR_CLASS__MAX,
} ErrorClass;

/* Pass &error_abort to abort on failure, &error_fatal to exit(1). */
extern Error *error_abort;
extern Error *error_fatal;

/* Return the QMP name of @klass, e.g. "GenericError". */
const char *error_class_name(ErrorClass klass);

/* Return the message of @err, without hint. */
const char *error_get_pretty(const Error *err);

/* Return the class of @err. */
ErrorClass error_get_class(const Error *err);

/* Return a deep copy of @err. */
Error *error_copy(const Error *err);

/* Free @err; NULL is allowed. */
void error_free(Error *err);

/* Assert that @err is set, then free it. */
void error_free_or_abort(Error **errp);

void error_setg_internal(Error **errp, const char *src, int line,
                         const char *func, ErrorClass klass,
                         const char *fmt, ...) G_GNUC_PRINTF(6, 7);
void error_setg_errno_internal(Error **errp, const char *src, int line,
                               const char *func, int os_errno,
                               const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Set *errp (if errp is not NULL and *errp is NULL) to a new error. */
#define error_setg(errp, fmt, ...) \
    error_setg_internal((errp), __FILE__, __LINE__, __func__, \
                        ERROR_CLASS_GENERIC_ERROR, (fmt), ## __VA_ARGS__)

/* Like error_setg() with an explicit QMP error class. */
#define error_set(errp, klass, fmt, ...) \
    error_setg_internal((errp), __FILE__, __LINE__, __func__, \
                        (klass), (fmt), ## __VA_ARGS__)

/* Like error_setg() and append ": " and strerror(os_errno). */
#define error_setg_errno(errp, os_errno, fmt, ...) \
    error_setg_errno_internal((errp), __FILE__, __LINE__, __func__, \
                              (os_errno), (fmt), ## __VA_ARGS__)

/* "Could not open 'FILENAME': strerror(os_errno)" */
#define error_setg_file_open(errp, os_errno, filename) \
    error_setg_errno((errp), (os_errno), "Could not open '%s'", (filename))

/*
 * Move @local_err into *dst_errp.  If dst_errp is NULL or already holds an
 * error, @local_err is freed; &error_abort and &error_fatal act as usual.
 */
void error_propagate(Error **dst_errp, Error *local_err);

/* error_propagate() and prepend a formatted prefix to the message. */
void error_propagate_prepend(Error **dst_errp, Error *local_err,
                             const char *fmt, ...) G_GNUC_PRINTF(3, 4);

/* Prepend a formatted prefix to the message of *errp, if set. */
void error_prepend(Error *const *errp, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/*
 * Append a hint: extra text printed after the message by human front
 * ends (tools, HMP) and left out of QMP replies.  The hint should end
 * with a newline.
 */
void error_append_hint(Error *const *errp, const char *fmt, ...)
    G_GNUC_PRINTF(2, 3);

/* Return the hint of @err, or NULL. */
const char *error_get_hint(const Error *err);

/* Print "PROG: MESSAGE" and the hint via error_report(), then free. */
void error_report_err(Error *err);

/* Like error_report_err() with a formatted prefix. */
void error_reportf_err(Error *err, const char *fmt, ...) G_GNUC_PRINTF(2, 3);

/* Like error_report_err() for warnings. */
void warn_report_err(Error *err);

/*
 * Make a function's errp safe to dereference: &error_fatal and NULL are
 * replaced by a local Error that is propagated when the function returns.
 */
typedef struct ErrorPropagator {
    Error *local_err;
    Error **errp;
} ErrorPropagator;

static inline void error_propagator_cleanup(ErrorPropagator *prop)
{
    error_propagate(prop->errp, prop->local_err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(ErrorPropagator, error_propagator_cleanup);

#define ERRP_GUARD() \
    g_auto(ErrorPropagator) _auto_errp_prop = {.errp = errp}; \
    do { \
        if (!errp || errp == &error_fatal) { \
            errp = &_auto_errp_prop.local_err; \
        } \
    } while (0)

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Error, error_free)

#endif
