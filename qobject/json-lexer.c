/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON lexer: turns a byte stream, fed in arbitrary pieces, into tokens
 * for the message splitter (json-streamer.c).
 *
 * It is a state machine fed one byte at a time; tokens that end only when
 * a byte that is not part of them arrives (numbers, keywords) hand that
 * byte back to the start state.  Strings are checked only for bytes that
 * may never appear in them (control characters, FE, FF); escapes and
 * UTF-8 are validated later by the parser.
 *
 * Recovery mirrors QEMU: after an invalid byte the lexer reports an error
 * token and skips input until a newline, carriage return or a structural
 * character ({ } [ ] , :), so that one bad message does not swallow the
 * next.  Control characters seen while skipping are reported again.
 */
#include "qemu/osdep.h"
#include "json-parser-int.h"

enum {
    IN_START,
    IN_RECOVERY,
    IN_DQ_STRING,
    IN_DQ_ESCAPE,
    IN_SQ_STRING,
    IN_SQ_ESCAPE,
    IN_NEG,
    IN_ZERO,
    IN_INT,
    IN_DOT,
    IN_FRAC,
    IN_EXP,
    IN_EXP_SIGN,
    IN_EXP_DIGITS,
    IN_KEYWORD,
    IN_INTERP,
    IN_INTERP_L,
    IN_INTERP_LL,
};

/* What a step did with its byte. */
typedef enum {
    STEP_CONSUMED,      /* the byte is used up */
    STEP_RETRY,         /* the byte ended a token; feed it again */
} JSONLexStep;

void json_lexer_init(JSONLexer *lexer, bool interpolation)
{
    lexer->state = IN_START;
    lexer->interpolation = interpolation;
    lexer->token = g_string_sized_new(16);
}

/* Hand the token text to the splitter and start over. */
static void json_lexer_emit(JSONLexer *lexer, JSONTokenType type)
{
    json_message_process_token(lexer, lexer->token, type);
    if (lexer->token->allocated_len > 64 * 1024) {
        /* Give back the memory of a huge token. */
        g_string_free(lexer->token, true);
        lexer->token = g_string_sized_new(16);
    }
    g_string_truncate(lexer->token, 0);
    lexer->state = IN_START;
}

/* Report the token so far plus @ch as invalid and start skipping. */
static JSONLexStep json_lexer_error(JSONLexer *lexer, unsigned char ch)
{
    g_string_append_c(lexer->token, ch);
    json_lexer_emit(lexer, JSON_ERROR);
    lexer->state = IN_RECOVERY;
    return STEP_CONSUMED;
}

/* End a token that @ch does not belong to. */
static JSONLexStep json_lexer_end(JSONLexer *lexer, JSONTokenType type)
{
    json_lexer_emit(lexer, type);
    return STEP_RETRY;
}

static JSONLexStep json_lexer_next(JSONLexer *lexer, unsigned char ch,
                                   int state)
{
    g_string_append_c(lexer->token, ch);
    lexer->state = state;
    return STEP_CONSUMED;
}

/* Bytes that never appear in JSON text outside whitespace. */
static bool json_lexer_is_forbidden(unsigned char ch)
{
    return (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') ||
           ch == 0xFE || ch == 0xFF;
}

static JSONLexStep json_lexer_punct(JSONLexer *lexer, unsigned char ch,
                                    JSONTokenType type)
{
    g_string_append_c(lexer->token, ch);
    json_lexer_emit(lexer, type);
    return STEP_CONSUMED;
}

static JSONLexStep json_lexer_start(JSONLexer *lexer, unsigned char ch)
{
    switch (ch) {
    case ' ': case '\t': case '\n': case '\r':
        return STEP_CONSUMED;
    case '{':
        return json_lexer_punct(lexer, ch, JSON_LCURLY);
    case '}':
        return json_lexer_punct(lexer, ch, JSON_RCURLY);
    case '[':
        return json_lexer_punct(lexer, ch, JSON_LSQUARE);
    case ']':
        return json_lexer_punct(lexer, ch, JSON_RSQUARE);
    case ':':
        return json_lexer_punct(lexer, ch, JSON_COLON);
    case ',':
        return json_lexer_punct(lexer, ch, JSON_COMMA);
    case '"':
        return json_lexer_next(lexer, ch, IN_DQ_STRING);
    case '\'':
        return json_lexer_next(lexer, ch, IN_SQ_STRING);
    case '-':
        return json_lexer_next(lexer, ch, IN_NEG);
    case '0':
        return json_lexer_next(lexer, ch, IN_ZERO);
    case '%':
        if (lexer->interpolation) {
            return json_lexer_next(lexer, ch, IN_INTERP);
        }
        break;
    default:
        if (ch >= '1' && ch <= '9') {
            return json_lexer_next(lexer, ch, IN_INT);
        }
        if (ch >= 'a' && ch <= 'z') {
            return json_lexer_next(lexer, ch, IN_KEYWORD);
        }
        break;
    }
    return json_lexer_error(lexer, ch);
}

static JSONLexStep json_lexer_recover(JSONLexer *lexer, unsigned char ch)
{
    switch (ch) {
    case '\n': case '\r':
    case '{': case '}': case '[': case ']': case ',': case ':':
        lexer->state = IN_START;
        return STEP_RETRY;
    default:
        if (json_lexer_is_forbidden(ch)) {
            return json_lexer_error(lexer, ch);
        }
        return STEP_CONSUMED;
    }
}

static JSONLexStep json_lexer_string(JSONLexer *lexer, unsigned char ch,
                                     char quote, int escape_state)
{
    if (ch < 0x20 || ch == 0xFE || ch == 0xFF) {
        return json_lexer_error(lexer, ch);
    }
    if (ch == quote) {
        g_string_append_c(lexer->token, ch);
        json_lexer_emit(lexer, JSON_STRING);
        return STEP_CONSUMED;
    }
    if (ch == '\\') {
        return json_lexer_next(lexer, ch, escape_state);
    }
    g_string_append_c(lexer->token, ch);
    return STEP_CONSUMED;
}

/* Any printable byte may follow a backslash; the parser judges it. */
static JSONLexStep json_lexer_escape(JSONLexer *lexer, unsigned char ch,
                                     int string_state)
{
    if (ch < 0x20 || ch == 0xFE || ch == 0xFF) {
        return json_lexer_error(lexer, ch);
    }
    return json_lexer_next(lexer, ch, string_state);
}

static bool is_digit(unsigned char ch)
{
    return ch >= '0' && ch <= '9';
}

static JSONLexStep json_lexer_number(JSONLexer *lexer, unsigned char ch)
{
    switch (lexer->state) {
    case IN_NEG:
        if (ch == '0') {
            return json_lexer_next(lexer, ch, IN_ZERO);
        }
        if (is_digit(ch)) {
            return json_lexer_next(lexer, ch, IN_INT);
        }
        return json_lexer_error(lexer, ch);
    case IN_ZERO:
        /*
         * QEMU takes no exponent right after a lone zero: "0e5" is the
         * number 0 followed by the keyword "e" and the number 5.
         */
        if (is_digit(ch)) {
            return json_lexer_error(lexer, ch);
        }
        if (ch == '.') {
            return json_lexer_next(lexer, ch, IN_DOT);
        }
        return json_lexer_end(lexer, JSON_INTEGER);
    case IN_INT:
        if (is_digit(ch)) {
            return json_lexer_next(lexer, ch, IN_INT);
        }
        if (ch == '.') {
            return json_lexer_next(lexer, ch, IN_DOT);
        }
        if (ch == 'e' || ch == 'E') {
            return json_lexer_next(lexer, ch, IN_EXP);
        }
        return json_lexer_end(lexer, JSON_INTEGER);
    case IN_DOT:
        if (is_digit(ch)) {
            return json_lexer_next(lexer, ch, IN_FRAC);
        }
        return json_lexer_error(lexer, ch);
    case IN_FRAC:
        if (is_digit(ch)) {
            return json_lexer_next(lexer, ch, IN_FRAC);
        }
        if (ch == 'e' || ch == 'E') {
            return json_lexer_next(lexer, ch, IN_EXP);
        }
        return json_lexer_end(lexer, JSON_FLOAT);
    case IN_EXP:
        if (ch == '+' || ch == '-') {
            return json_lexer_next(lexer, ch, IN_EXP_SIGN);
        }
        /* fall through */
    case IN_EXP_SIGN:
        if (is_digit(ch)) {
            return json_lexer_next(lexer, ch, IN_EXP_DIGITS);
        }
        return json_lexer_error(lexer, ch);
    case IN_EXP_DIGITS:
        if (is_digit(ch)) {
            return json_lexer_next(lexer, ch, IN_EXP_DIGITS);
        }
        return json_lexer_end(lexer, JSON_FLOAT);
    }
    g_assert_not_reached();
}

/* %d %i %u %ld %lu %lld %llu %s %f %p; the parser maps them to values. */
static JSONLexStep json_lexer_interp(JSONLexer *lexer, unsigned char ch)
{
    bool in_l = lexer->state != IN_INTERP;

    if (ch == 'd' || ch == 'u' || (ch == 'i' && !in_l)) {
        return json_lexer_punct(lexer, ch, JSON_INTERP);
    }
    if (!in_l && (ch == 's' || ch == 'f' || ch == 'p')) {
        return json_lexer_punct(lexer, ch, JSON_INTERP);
    }
    if (ch == 'l' && lexer->state != IN_INTERP_LL) {
        return json_lexer_next(lexer, ch, lexer->state + 1);
    }
    return json_lexer_error(lexer, ch);
}

static JSONLexStep json_lexer_step(JSONLexer *lexer, unsigned char ch)
{
    switch (lexer->state) {
    case IN_START:
        return json_lexer_start(lexer, ch);
    case IN_RECOVERY:
        return json_lexer_recover(lexer, ch);
    case IN_DQ_STRING:
        return json_lexer_string(lexer, ch, '"', IN_DQ_ESCAPE);
    case IN_SQ_STRING:
        return json_lexer_string(lexer, ch, '\'', IN_SQ_ESCAPE);
    case IN_DQ_ESCAPE:
        return json_lexer_escape(lexer, ch, IN_DQ_STRING);
    case IN_SQ_ESCAPE:
        return json_lexer_escape(lexer, ch, IN_SQ_STRING);
    case IN_KEYWORD:
        if (ch >= 'a' && ch <= 'z') {
            return json_lexer_next(lexer, ch, IN_KEYWORD);
        }
        return json_lexer_end(lexer, JSON_KEYWORD);
    case IN_INTERP:
    case IN_INTERP_L:
    case IN_INTERP_LL:
        return json_lexer_interp(lexer, ch);
    default:
        return json_lexer_number(lexer, ch);
    }
}

/*
 * A single token may not grow without bound: once it passes the limit,
 * what has been read is handed over as an error (the splitter names the
 * limit) and lexing starts afresh with the next byte, as in QEMU, where
 * the rest of an overlong string then reads as keywords and the like.
 */
static void json_lexer_check_size(JSONLexer *lexer)
{
    if (lexer->token->len > JSON_MAX_TOKEN_SIZE) {
        json_lexer_emit(lexer, JSON_ERROR);
    }
}

/*
 * Inside a string, copy the run of ordinary bytes at @buf (at most @size)
 * in one go; most of a big message is string contents.  Return how many
 * bytes were taken, never more than keeps the token within the limit
 * plus one byte, so the size check still cuts where it would byte by byte.
 */
static size_t json_lexer_string_run(JSONLexer *lexer, const char *buf,
                                    size_t size)
{
    char quote = lexer->state == IN_DQ_STRING ? '"' : '\'';
    size_t room = JSON_MAX_TOKEN_SIZE + 1 - lexer->token->len;
    size_t n;

    size = MIN(size, room);
    for (n = 0; n < size; n++) {
        unsigned char ch = buf[n];

        if (ch < 0x20 || ch == 0xFE || ch == 0xFF || ch == quote ||
            ch == '\\') {
            break;
        }
    }
    g_string_append_len(lexer->token, buf, n);
    return n;
}

void json_lexer_feed(JSONLexer *lexer, const char *buffer, size_t size)
{
    size_t i = 0;

    while (i < size) {
        if (lexer->state == IN_DQ_STRING || lexer->state == IN_SQ_STRING) {
            size_t n = json_lexer_string_run(lexer, buffer + i, size - i);

            if (n) {
                i += n;
                json_lexer_check_size(lexer);
                continue;
            }
        }
        while (json_lexer_step(lexer, buffer[i]) == STEP_RETRY) {
            /* the byte ended a token and starts over */
        }
        json_lexer_check_size(lexer);
        i++;
    }
}

void json_lexer_flush(JSONLexer *lexer)
{
    switch (lexer->state) {
    case IN_START:
    case IN_RECOVERY:
        break;
    case IN_ZERO:
    case IN_INT:
        json_lexer_emit(lexer, JSON_INTEGER);
        break;
    case IN_FRAC:
    case IN_EXP_DIGITS:
        json_lexer_emit(lexer, JSON_FLOAT);
        break;
    case IN_KEYWORD:
        json_lexer_emit(lexer, JSON_KEYWORD);
        break;
    default:
        /* An unfinished string, number or interpolation. */
        json_lexer_emit(lexer, JSON_ERROR);
        break;
    }
    lexer->state = IN_START;
    g_string_truncate(lexer->token, 0);
    json_message_process_token(lexer, lexer->token, JSON_END_OF_INPUT);
}

void json_lexer_destroy(JSONLexer *lexer)
{
    g_string_free(lexer->token, true);
    lexer->token = NULL;
}
