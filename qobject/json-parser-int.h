/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private interfaces between the JSON lexer, message splitter, parser and
 * formatter in qobject/.
 */
#ifndef QOBJECT_JSON_PARSER_INT_H
#define QOBJECT_JSON_PARSER_INT_H

#include "qobject/json-parser.h"

typedef enum JSONTokenType {
    JSON_ERROR,                 /* text the lexer could not tokenize */
    JSON_LCURLY,
    JSON_RCURLY,
    JSON_LSQUARE,
    JSON_RSQUARE,
    JSON_COLON,
    JSON_COMMA,
    JSON_INTEGER,
    JSON_FLOAT,
    JSON_KEYWORD,               /* any run of a-z; the parser checks it */
    JSON_STRING,                /* with its quotes and escapes */
    JSON_INTERP,                /* %d, %s, ... */
    JSON_END_OF_INPUT,
} JSONTokenType;

/* A token of a complete message, as the parser sees it. */
typedef struct JSONToken {
    JSONTokenType type;
    size_t len;
    const char *str;            /* NUL-terminated */
} JSONToken;

/* How the splitter stores a token: its text lives in a shared buffer. */
typedef struct JSONTokenRef {
    JSONTokenType type;
    uint32_t len;
    size_t offset;
} JSONTokenRef;

/* json-lexer.c */
void json_lexer_init(JSONLexer *lexer, bool interpolation);
void json_lexer_feed(JSONLexer *lexer, const char *buffer, size_t size);
void json_lexer_flush(JSONLexer *lexer);
void json_lexer_destroy(JSONLexer *lexer);

/* json-streamer.c: called by the lexer for every token it completes. */
void json_message_process_token(JSONLexer *lexer, GString *input,
                                JSONTokenType type);

/* json-parser.c: build one value from @tokens with texts in @text. */
QObject *json_parser_parse(GArray *tokens, GString *text, va_list *ap,
                           Error **errp);

/* json-utf8.c */
int json_utf8_decode(const char *s, const char **end);
void json_utf8_encode(GString *out, int codepoint);
bool json_is_valid_codepoint(int codepoint);

#endif
