/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Streaming JSON message parser: bytes go in as they arrive (split
 * anywhere, several messages per chunk), and a callback receives each
 * complete top-level value or each error.  This is what QMP reads with.
 */
#ifndef QOBJECT_JSON_PARSER_H
#define QOBJECT_JSON_PARSER_H

#include "qapi/error.h"
#include "qobject/qobject.h"

/* Limits on one message; exceeding one is reported as an error. */
#define JSON_MAX_NESTING        1024            /* open brackets */
#define JSON_MAX_TOKEN_SIZE     (64ULL << 20)   /* bytes in a message, excl. */
#define JSON_MAX_TOKEN_COUNT    (2ULL << 20)    /* tokens in a message */

/* Tokenizer state; private to qobject/json-lexer.c. */
typedef struct JSONLexer {
    int state;
    bool interpolation;         /* accept %d, %s, ... (C callers only) */
    GString *token;             /* text of the token being read */
} JSONLexer;

typedef struct JSONMessageParser {
    /* Receives ownership of exactly one of @json and @err. */
    void (*emit)(void *opaque, QObject *json, Error *err);
    void *opaque;
    va_list *ap;
    JSONLexer lexer;
    GArray *tokens;             /* JSONTokenRef of the message so far */
    GString *token_text;        /* their texts, each NUL-terminated */
    int brace_count;
    int bracket_count;
    uint64_t token_count;
    uint64_t token_size;
} JSONMessageParser;

/**
 * json_message_parser_init:
 * Prepare @parser to call @emit(@opaque, ...) once per complete JSON
 * value or error found in the input.  @ap, when not NULL, enables QEMU's
 * interpolation extension (%d, %s, %p, ...): values come from @ap; it is
 * meant for C callers with trusted format strings, never for QMP input.
 */
void json_message_parser_init(JSONMessageParser *parser,
                              void (*emit)(void *opaque, QObject *json,
                                           Error *err),
                              void *opaque, va_list *ap);

/**
 * json_message_parser_feed:
 * Consume @size bytes of input from @buffer; @emit may be called any
 * number of times before this returns.
 */
void json_message_parser_feed(JSONMessageParser *parser,
                              const char *buffer, size_t size);

/**
 * json_message_parser_flush:
 * Signal the end of the input: finish a pending token (a number needs to
 * see what follows it), and report an incomplete message as an error.
 * The parser is then ready for new input.
 */
void json_message_parser_flush(JSONMessageParser *parser);

/**
 * json_message_parser_destroy:
 * Free everything @parser holds, discarding any incomplete message
 * without calling @emit.
 */
void json_message_parser_destroy(JSONMessageParser *parser);

#endif
