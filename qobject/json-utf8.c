/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * UTF-8 as QEMU's JSON code uses it: "modified" UTF-8, where U+0000 is
 * written as the otherwise overlong pair C0 80 so that strings can hold
 * it and still be NUL-terminated.  Surrogates, noncharacters and code
 * points beyond U+10FFFF are invalid.
 */
#include "qemu/osdep.h"
#include "json-parser-int.h"

bool json_is_valid_codepoint(int cp)
{
    if (cp < 0 || cp > 0x10FFFF) {
        return false;
    }
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        return false;           /* surrogate halves */
    }
    if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
        return false;           /* noncharacters */
    }
    return true;
}

/* Length of the sequence @lead starts and its smallest legal value. */
static int json_utf8_seq_len(unsigned char lead, int *min)
{
    static const struct {
        unsigned char lo, hi;
        int len, min;
    } forms[] = {
        { 0xC0, 0xDF, 2, 0x80 },
        { 0xE0, 0xEF, 3, 0x800 },
        { 0xF0, 0xF7, 4, 0x10000 },
        { 0xF8, 0xFB, 5, 0x200000 },
        { 0xFC, 0xFD, 6, 0x4000000 },
    };
    size_t i;

    for (i = 0; i < ARRAY_SIZE(forms); i++) {
        if (lead >= forms[i].lo && lead <= forms[i].hi) {
            *min = forms[i].min;
            return forms[i].len;
        }
    }
    return 0;                   /* continuation byte, FE or FF */
}

/*
 * Decode the code point at @s and set *@end past the bytes it used.
 * Return -1 for an invalid sequence; *@end then skips a malformed lead
 * byte with the continuation bytes that follow it (up to the length it
 * announces), or one stray byte.
 */
int json_utf8_decode(const char *s, const char **end)
{
    const unsigned char *p = (const unsigned char *)s;
    int len, min, i;
    int cp;

    if (p[0] < 0x80) {
        *end = s + (p[0] != 0);
        return p[0];
    }
    len = json_utf8_seq_len(p[0], &min);
    if (!len) {
        *end = s + 1;
        return -1;
    }
    cp = p[0] & (0x7F >> len);
    for (i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *end = s + i;
            return -1;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *end = s + len;
    if (len == 2 && cp == 0) {
        return 0;               /* modified UTF-8 for U+0000 */
    }
    if (cp < min || !json_is_valid_codepoint(cp)) {
        return -1;
    }
    return cp;
}

/* Append @cp to @out in modified UTF-8. */
void json_utf8_encode(GString *out, int cp)
{
    if (cp == 0) {
        g_string_append_len(out, "\xC0\x80", 2);
        return;
    }
    g_string_append_unichar(out, cp);
}
