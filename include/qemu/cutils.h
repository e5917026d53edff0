/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small string helpers: checked number parsing (integers, doubles, sizes
 * with suffixes), human-readable sizes, bounded copies, identifiers,
 * zero-buffer detection and relative path resolution.
 */
#ifndef QEMU_CUTILS_H
#define QEMU_CUTILS_H

#include "qapi/error.h"

/**
 * pstrcpy:
 * Copy @str into @buf of @buf_size bytes, truncating if needed; @buf is
 * always NUL-terminated when @buf_size > 0.
 */
void pstrcpy(char *buf, int buf_size, const char *str);

/**
 * pstrcat:
 * Append @s to the string in @buf (of @buf_size bytes), truncating.
 * Returns @buf.
 */
char *pstrcat(char *buf, int buf_size, const char *s);

/**
 * strpadcpy:
 * Copy @str into @buf of exactly @buf_size bytes, filling the rest with
 * @pad and truncating; no NUL terminator is written (fixed-width fields).
 */
void strpadcpy(char *buf, int buf_size, const char *str, char pad);

/**
 * strstart:
 * Return true if @str begins with @val; then, if @ptr is not NULL, set
 * *@ptr to the rest of @str.
 */
int strstart(const char *str, const char *val, const char **ptr);

/**
 * qemu_strchrnul:
 * Return a pointer to the first @c in @s, or to the terminating NUL.
 */
const char *qemu_strchrnul(const char *s, int c);

/*
 * The qemu_strto*() family wraps the C library conversions with one
 * contract:
 * - Leading whitespace is skipped; @base is passed to the C library
 *   (0 accepts 0x and octal prefixes).
 * - With @endptr, *@endptr is set past the number and trailing text is
 *   allowed.  Without @endptr, trailing text fails with -EINVAL.
 * - No digits at all fails with -EINVAL and *@endptr = @nptr.
 * - Out of range fails with -ERANGE and stores the clamped value.
 * - A NULL @nptr fails with -EINVAL and leaves *@result alone.
 * Returns 0 on success.
 */

/** qemu_strtoi: parse an int; see the family contract above. */
int qemu_strtoi(const char *nptr, const char **endptr, int base,
                int *result);
/**
 * qemu_strtoui: parse an unsigned int.  A negative number down to INT_MIN
 * is accepted and wraps (so "-1" is UINT_MAX), as QEMU does.
 */
int qemu_strtoui(const char *nptr, const char **endptr, int base,
                 unsigned int *result);
/** qemu_strtol: parse a long; see the family contract above. */
int qemu_strtol(const char *nptr, const char **endptr, int base,
                long *result);
/** qemu_strtoul: parse an unsigned long; negative input wraps (strtoul). */
int qemu_strtoul(const char *nptr, const char **endptr, int base,
                 unsigned long *result);
/** qemu_strtoi64: parse an int64_t; see the family contract above. */
int qemu_strtoi64(const char *nptr, const char **endptr, int base,
                  int64_t *result);
/** qemu_strtou64: parse a uint64_t; negative input wraps (strtoull). */
int qemu_strtou64(const char *nptr, const char **endptr, int base,
                  uint64_t *result);

/**
 * parse_uint:
 * Parse an unsigned number like strtoull() but reject a negative one
 * with -ERANGE (value 0).  No digits is -EINVAL; *@endptr is always set.
 */
int parse_uint(const char *s, unsigned long long *value, char **endptr,
               int base);

/**
 * parse_uint_full:
 * parse_uint() that also rejects trailing text with -EINVAL (value 0).
 */
int parse_uint_full(const char *s, unsigned long long *value, int base);

/**
 * qemu_strtod:
 * Parse a double; -ERANGE on overflow (±HUGE_VAL stored) or underflow.
 */
int qemu_strtod(const char *nptr, const char **endptr, double *result);

/**
 * qemu_strtod_finite:
 * Like qemu_strtod() but "inf" and "nan" fail with -EINVAL.
 */
int qemu_strtod_finite(const char *nptr, const char **endptr,
                       double *result);

/**
 * qemu_strtosz:
 * Parse a byte count: a decimal number (a fraction is allowed with a
 * scaling suffix, "1.5G") or a hex number ("0x1000"), followed by an
 * optional suffix B, K, M, G, T, P or E (either case, powers of 1024).
 * Without a suffix the unit is bytes.  Negative numbers and exponents
 * fail with -EINVAL, values above UINT64_MAX with -ERANGE.  @end works
 * like @endptr of qemu_strtol().  *@result is set only on success.
 */
int qemu_strtosz(const char *nptr, const char **end, uint64_t *result);

/** qemu_strtosz_MiB: like qemu_strtosz(), a missing suffix means MiB. */
int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result);

/** qemu_strtosz_metric: like qemu_strtosz() with powers of 1000. */
int qemu_strtosz_metric(const char *nptr, const char **end,
                        uint64_t *result);

/**
 * size_to_str:
 * Return a newly allocated human-readable form of @val bytes with three
 * significant digits and binary units, as qemu-img prints sizes:
 * "512 B", "64 KiB", "1.5 GiB", "0.977 KiB" (1000 bytes).
 */
char *size_to_str(uint64_t val);

/**
 * qapi_bool_parse:
 * Parse @value as a boolean: "on", "yes", "true", "y" are true; "off",
 * "no", "false", "n" are false.  Anything else sets @errp to
 * "Parameter '@name' expects 'on' or 'off'" and returns false.
 * (Also declared in qapi/util.h; defined once, here.)
 */
bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     Error **errp);

/**
 * id_wellformed:
 * Return true if @id is a valid identifier for -drive id=, node-name and
 * the like: a letter followed by letters, digits, '-', '.' and '_'.
 */
bool id_wellformed(const char *id);

/**
 * buffer_is_zero:
 * Return true if all @len bytes at @buf are zero.  Fast: works a cache
 * line at a time and stops at the first non-zero line.
 */
bool buffer_is_zero(const void *buf, size_t len);

/**
 * path_is_absolute:
 * Return true if @path starts with '/'.
 */
bool path_is_absolute(const char *path);

/**
 * path_has_protocol:
 * Return true if @path starts with "PROTOCOL:" (a colon before any '/'),
 * as in "nbd:localhost:10809".
 */
bool path_has_protocol(const char *path);

/**
 * path_combine:
 * Resolve @filename relative to the directory of @base_path, the way a
 * relative backing file name is resolved against its overlay: absolute
 * names are returned unchanged, otherwise everything up to the last '/'
 * of @base_path (or its "protocol:" prefix) is prepended.  Returns a
 * newly allocated string.
 */
char *path_combine(const char *base_path, const char *filename);

#endif
