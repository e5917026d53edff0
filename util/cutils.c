/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Small string helpers shared by the whole tree: checked number parsing
 * with one error contract, size suffixes, bounded copies, identifiers,
 * zero-buffer detection and relative path resolution.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include <math.h>

void pstrcpy(char *buf, int buf_size, const char *str)
{
    int i;

    if (buf_size <= 0) {
        return;
    }
    for (i = 0; i < buf_size - 1 && str[i]; i++) {
        buf[i] = str[i];
    }
    buf[i] = '\0';
}

char *pstrcat(char *buf, int buf_size, const char *s)
{
    int len = strlen(buf);

    if (len < buf_size) {
        pstrcpy(buf + len, buf_size - len, s);
    }
    return buf;
}

void strpadcpy(char *buf, int buf_size, const char *str, char pad)
{
    int len = strnlen(str, buf_size);

    memcpy(buf, str, len);
    memset(buf + len, pad, buf_size - len);
}

int strstart(const char *str, const char *val, const char **ptr)
{
    size_t len = strlen(val);

    if (strncmp(str, val, len) != 0) {
        return 0;
    }
    if (ptr) {
        *ptr = str + len;
    }
    return 1;
}

const char *qemu_strchrnul(const char *s, int c)
{
    return strchrnul(s, c);
}

/*
 * Apply the common contract once the C library has run: @ep is where it
 * stopped and @err the errno it left.
 */
static int strtox_finish(const char *nptr, const char *ep,
                         const char **endptr, int err)
{
    if (ep == nptr) {
        err = EINVAL;
    }
    if (endptr) {
        *endptr = ep;
    } else if (*ep) {
        err = EINVAL;
    }
    return -err;
}

static int strtox_null(const char **endptr)
{
    if (endptr) {
        *endptr = NULL;
    }
    return -EINVAL;
}

int qemu_strtoi(const char *nptr, const char **endptr, int base,
                int *result)
{
    char *ep;
    long long v;
    int err;

    if (!nptr) {
        return strtox_null(endptr);
    }
    errno = 0;
    v = strtoll(nptr, &ep, base);
    err = errno;
    if (v > INT_MAX) {
        v = INT_MAX;
        err = ERANGE;
    } else if (v < INT_MIN) {
        v = INT_MIN;
        err = ERANGE;
    }
    *result = v;
    return strtox_finish(nptr, ep, endptr, err);
}

/* Skip what strtoull() skips and tell whether a minus sign follows. */
static bool strtox_is_negative(const char *nptr)
{
    while (g_ascii_isspace(*nptr)) {
        nptr++;
    }
    return *nptr == '-';
}

int qemu_strtoui(const char *nptr, const char **endptr, int base,
                 unsigned int *result)
{
    char *ep;
    unsigned long long v;
    int err;

    if (!nptr) {
        return strtox_null(endptr);
    }
    errno = 0;
    v = strtoull(nptr, &ep, base);
    err = errno;
    if (err == ERANGE) {
        *result = UINT_MAX;
    } else if (strtox_is_negative(nptr)) {
        /* strtoull() negated the magnitude; accept down to INT_MIN. */
        if (-v > (unsigned long long)INT_MAX + 1) {
            *result = UINT_MAX;
            err = ERANGE;
        } else {
            *result = (unsigned int)v;
        }
    } else if (v > UINT_MAX) {
        *result = UINT_MAX;
        err = ERANGE;
    } else {
        *result = v;
    }
    return strtox_finish(nptr, ep, endptr, err);
}

int qemu_strtol(const char *nptr, const char **endptr, int base,
                long *result)
{
    char *ep;

    if (!nptr) {
        return strtox_null(endptr);
    }
    errno = 0;
    *result = strtol(nptr, &ep, base);
    return strtox_finish(nptr, ep, endptr, errno);
}

int qemu_strtoul(const char *nptr, const char **endptr, int base,
                 unsigned long *result)
{
    char *ep;

    if (!nptr) {
        return strtox_null(endptr);
    }
    errno = 0;
    *result = strtoul(nptr, &ep, base);
    if (errno == ERANGE) {
        *result = ULONG_MAX;
    }
    return strtox_finish(nptr, ep, endptr, errno);
}

int qemu_strtoi64(const char *nptr, const char **endptr, int base,
                  int64_t *result)
{
    char *ep;

    if (!nptr) {
        return strtox_null(endptr);
    }
    QEMU_BUILD_BUG_ON(sizeof(int64_t) != sizeof(long long));
    errno = 0;
    *result = strtoll(nptr, &ep, base);
    return strtox_finish(nptr, ep, endptr, errno);
}

int qemu_strtou64(const char *nptr, const char **endptr, int base,
                  uint64_t *result)
{
    char *ep;

    if (!nptr) {
        return strtox_null(endptr);
    }
    QEMU_BUILD_BUG_ON(sizeof(uint64_t) != sizeof(unsigned long long));
    errno = 0;
    *result = strtoull(nptr, &ep, base);
    if (errno == ERANGE) {
        *result = UINT64_MAX;
    }
    return strtox_finish(nptr, ep, endptr, errno);
}

int parse_uint(const char *s, unsigned long long *value, char **endptr,
               int base)
{
    char *endp = (char *)s;
    unsigned long long val = 0;
    int ret = -EINVAL;

    if (s) {
        errno = 0;
        val = strtoull(s, &endp, base);
        if (errno) {
            ret = -errno;
        } else if (endp != s) {
            ret = 0;
        }
        if (ret == 0 && strtox_is_negative(s)) {
            val = 0;
            ret = -ERANGE;
        }
    }
    *value = val;
    *endptr = endp;
    return ret;
}

int parse_uint_full(const char *s, unsigned long long *value, int base)
{
    char *endp;
    int ret = parse_uint(s, value, &endp, base);

    if (ret == 0 && *endp) {
        *value = 0;
        ret = -EINVAL;
    }
    return ret;
}

int qemu_strtod(const char *nptr, const char **endptr, double *result)
{
    char *ep;

    if (!nptr) {
        return strtox_null(endptr);
    }
    errno = 0;
    *result = strtod(nptr, &ep);
    return strtox_finish(nptr, ep, endptr, errno);
}

int qemu_strtod_finite(const char *nptr, const char **endptr,
                       double *result)
{
    double tmp;
    int ret = qemu_strtod(nptr, endptr, &tmp);

    if (ret == 0 && !isfinite(tmp)) {
        if (endptr) {
            *endptr = nptr;
        }
        ret = -EINVAL;
    }
    if (ret != -EINVAL) {
        *result = tmp;
    }
    return ret;
}

/* The multiplier of a size suffix, or 0 if @c is not one. */
static uint64_t strtosz_suffix_mul(char c, uint64_t unit)
{
    static const char suffixes[] = "KMGTPE";
    const char *p;
    uint64_t mul = 1;

    c = g_ascii_toupper(c);
    if (c == 'B') {
        return 1;
    }
    p = c ? strchr(suffixes, c) : NULL;
    if (!p) {
        return 0;
    }
    for (; p >= suffixes; p--) {
        mul *= unit;
    }
    return mul;
}

/*
 * Parse the part after the integer: a hex number is re-read in base 16
 * and takes no fraction; a decimal one may have ".DIGITS" (no exponent).
 * The fraction comes back as a 0.64 fixed-point number in *@frac.
 */
static int strtosz_tail(const char *nptr, const char **endptr,
                        uint64_t *val, uint64_t *frac, bool *hex)
{
    const char *f = *endptr;
    double fraction;
    int ret;

    if (*val == 0 && (*f == 'x' || *f == 'X')) {
        ret = qemu_strtou64(nptr, endptr, 16, val);
        if (ret == 0 && **endptr == '.') {
            *endptr = nptr;
            return -EINVAL;
        }
        *hex = true;
        return ret;
    }
    if (*f != '.') {
        return 0;
    }
    if (qemu_strtod_finite(f, endptr, &fraction) < 0) {
        /* "1.k": a dot with no digits is allowed */
        *endptr = f + 1;
        return 0;
    }
    if (memchr(f, 'e', *endptr - f) || memchr(f, 'E', *endptr - f)) {
        *endptr = nptr;
        return -EINVAL;
    }
    if (fraction >= 1.0) {
        /* ".9999999999999999999" rounds up to a whole unit */
        if (*val == UINT64_MAX) {
            return -ERANGE;
        }
        (*val)++;
    } else {
        *frac = (uint64_t)(fraction * 0x1p64);
    }
    return 0;
}

static int do_strtosz(const char *nptr, const char **end,
                      char default_suffix, uint64_t unit, uint64_t *result)
{
    const char *endptr;
    uint64_t val, frac = 0, mul;
    unsigned __int128 total;
    bool hex = false;
    int ret;

    ret = qemu_strtou64(nptr, &endptr, 10, &val);
    if (ret == 0 && memchr(nptr, '-', endptr - nptr)) {
        endptr = nptr;
        ret = -EINVAL;
    }
    if (ret == 0) {
        ret = strtosz_tail(nptr, &endptr, &val, &frac, &hex);
    }
    if (ret < 0) {
        goto out;
    }
    mul = strtosz_suffix_mul(*endptr, unit);
    if (mul) {
        if (hex) {
            warn_report("Using a multiplier suffix on hex numbers "
                        "is deprecated: %s", nptr);
        }
        endptr++;
    } else {
        mul = strtosz_suffix_mul(default_suffix, unit);
    }
    if (mul == 1 && frac) {
        /* a fraction of a byte makes no sense */
        endptr = nptr;
        ret = -EINVAL;
        goto out;
    }
    /* Exact: integer part times mul plus the rounded fraction times mul */
    total = (unsigned __int128)val * mul;
    total += ((unsigned __int128)frac * mul + ((uint64_t)1 << 63)) >> 64;
    if (total > UINT64_MAX) {
        ret = -ERANGE;
        goto out;
    }
    val = total;
out:
    if (end) {
        *end = endptr;
    } else if (*endptr) {
        ret = -EINVAL;
    }
    if (ret == 0) {
        *result = val;
    }
    return ret;
}

int qemu_strtosz(const char *nptr, const char **end, uint64_t *result)
{
    return do_strtosz(nptr, end, 'B', 1024, result);
}

int qemu_strtosz_MiB(const char *nptr, const char **end, uint64_t *result)
{
    return do_strtosz(nptr, end, 'M', 1024, result);
}

int qemu_strtosz_metric(const char *nptr, const char **end,
                        uint64_t *result)
{
    return do_strtosz(nptr, end, 'B', 1000, result);
}

char *size_to_str(uint64_t val)
{
    static const char *const units[] = {
        "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
    };
    int exp;
    int i;

    /*
     * Pick the unit from floor(log2(val * 1.024)) so the shown number
     * switches to the next unit at about 1000 of the current one; the
     * three-digit "%g" may still round up to "1e+03", as qemu-img shows.
     */
    frexp(val / (1000.0 / 1024.0), &exp);
    i = (exp - 1) / 10;
    return g_strdup_printf("%0.3g %s",
                           (double)val / (double)((uint64_t)1 << (10 * i)),
                           units[i]);
}

bool qapi_bool_parse(const char *name, const char *value, bool *obj,
                     Error **errp)
{
    if (g_str_equal(value, "on") || g_str_equal(value, "yes") ||
        g_str_equal(value, "true") || g_str_equal(value, "y")) {
        *obj = true;
        return true;
    }
    if (g_str_equal(value, "off") || g_str_equal(value, "no") ||
        g_str_equal(value, "false") || g_str_equal(value, "n")) {
        *obj = false;
        return true;
    }
    error_setg(errp, "Parameter '%s' expects 'on' or 'off'", name);
    return false;
}

bool id_wellformed(const char *id)
{
    int i;

    if (!g_ascii_isalpha(id[0])) {
        return false;
    }
    for (i = 1; id[i]; i++) {
        if (!g_ascii_isalnum(id[i]) && !strchr("-._", id[i])) {
            return false;
        }
    }
    return true;
}

/* OR of 64 bytes at an 8-byte aligned @p; compilers vectorise this. */
static inline uint64_t buffer_or_line(const uint64_t *p)
{
    return (p[0] | p[1] | p[2] | p[3]) | (p[4] | p[5] | p[6] | p[7]);
}

/* The portable version: 64 bytes per step, words at the edges. */
static bool buffer_is_zero_words(const void *buf, size_t len)
{
    const unsigned char *p = buf;
    const unsigned char *end = p + len;
    const uint64_t *w;

    /* Unaligned head, one byte at a time (also covers short buffers). */
    while (p < end && ((uintptr_t)p & 7)) {
        if (*p++) {
            return false;
        }
    }
    w = (const uint64_t *)p;
    for (; (size_t)(end - (const unsigned char *)w) >= 64; w += 8) {
        if (buffer_or_line(w)) {
            return false;
        }
    }
    for (; (size_t)(end - (const unsigned char *)w) >= 8; w++) {
        if (*w) {
            return false;
        }
    }
    for (p = (const unsigned char *)w; p < end; p++) {
        if (*p) {
            return false;
        }
    }
    return true;
}

#if defined(__x86_64__)
#include <immintrin.h>

/*
 * AVX2: 128 bytes per step with unaligned loads; the unaligned tail is
 * covered by one last, overlapping 128-byte step.  Needs len >= 128.
 */
static bool __attribute__((target("avx2")))
buffer_is_zero_avx2(const void *buf, size_t len)
{
    const char *p = buf;
    const char *last = p + len - 128;
    __m256i acc;

    for (;;) {
        if (p > last) {
            p = last;
        }
        acc = _mm256_or_si256(
            _mm256_or_si256(_mm256_loadu_si256((const __m256i *)p),
                            _mm256_loadu_si256((const __m256i *)(p + 32))),
            _mm256_or_si256(_mm256_loadu_si256((const __m256i *)(p + 64)),
                            _mm256_loadu_si256((const __m256i *)(p + 96))));
        if (!_mm256_testz_si256(acc, acc)) {
            return false;
        }
        if (p == last) {
            return true;
        }
        p += 128;
    }
}

#endif

bool buffer_is_zero(const void *buf, size_t len)
{
    const unsigned char *p = buf;

    /* Most non-zero data is caught by its first byte: check that first. */
    if (len == 0) {
        return true;
    }
    if (p[0]) {
        return false;
    }
#if defined(__x86_64__)
    if (len >= 128 && __builtin_cpu_supports("avx2")) {
        return buffer_is_zero_avx2(buf, len);
    }
#endif
    return buffer_is_zero_words(buf, len);
}

bool path_is_absolute(const char *path)
{
    return path[0] == '/';
}

bool path_has_protocol(const char *path)
{
    return path[strcspn(path, ":/")] == ':';
}

char *path_combine(const char *base_path, const char *filename)
{
    const char *dir_end = base_path;
    const char *slash;

    if (path_is_absolute(filename)) {
        return g_strdup(filename);
    }
    if (path_has_protocol(base_path)) {
        dir_end = strchr(base_path, ':') + 1;
    }
    slash = strrchr(base_path, '/');
    if (slash && slash + 1 > dir_end) {
        dir_end = slash + 1;
    }
    return g_strdup_printf("%.*s%s", (int)(dir_end - base_path), base_path,
                           filename);
}
