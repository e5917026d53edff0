/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * JSON message splitter: collects the lexer's tokens until they form one
 * complete top-level value (the bracket and brace counts return to zero),
 * then has json-parser.c build it and hands the result to the callback.
 * It also enforces the per-message limits, so that a hostile peer cannot
 * make QMP buffer unbounded input or recurse without end.
 */
#include "qemu/osdep.h"
#include "json-parser-int.h"

/* Buffers above this size are given back after each message. */
#define JSON_KEEP_BUFFER_SIZE (64 * 1024)

/* Drop the message in progress. */
static void json_message_reset(JSONMessageParser *parser)
{
    /* One huge message must not pin its memory for the parser's life. */
    if (parser->tokens->len * sizeof(JSONTokenRef) > JSON_KEEP_BUFFER_SIZE) {
        g_array_free(parser->tokens, true);
        parser->tokens = g_array_new(false, false, sizeof(JSONTokenRef));
    }
    if (parser->token_text->allocated_len > JSON_KEEP_BUFFER_SIZE) {
        g_string_free(parser->token_text, true);
        parser->token_text = g_string_new("");
    }
    g_array_set_size(parser->tokens, 0);
    g_string_truncate(parser->token_text, 0);
    parser->brace_count = 0;
    parser->bracket_count = 0;
    parser->token_count = 0;
    parser->token_size = 0;
}

static void json_message_emit_error(JSONMessageParser *parser, Error *err)
{
    json_message_reset(parser);
    parser->emit(parser->opaque, NULL, err);
}

/* Parse the collected tokens as one value and deliver the result. */
static void json_message_complete(JSONMessageParser *parser)
{
    Error *err = NULL;
    QObject *json;

    json = json_parser_parse(parser->tokens, parser->token_text, parser->ap,
                             &err);
    json_message_reset(parser);
    assert(!json != !err);
    parser->emit(parser->opaque, json, err);
}

/* Return an error if adding a token of @len bytes breaks a limit. */
static Error *json_message_check_limits(JSONMessageParser *parser,
                                        size_t len)
{
    Error *err = NULL;

    if (parser->brace_count + parser->bracket_count > JSON_MAX_NESTING) {
        error_setg(&err, "JSON nesting depth limit exceeded");
    } else if (parser->token_count + 1 > JSON_MAX_TOKEN_COUNT) {
        error_setg(&err, "JSON token count limit exceeded");
    } else if (parser->token_size + len >= JSON_MAX_TOKEN_SIZE) {
        /* QEMU 7.2 refuses a message of exactly the limit, too. */
        error_setg(&err, "JSON token size limit exceeded");
    }
    return err;
}

void json_message_process_token(JSONLexer *lexer, GString *input,
                                JSONTokenType type)
{
    JSONMessageParser *parser = container_of(lexer, JSONMessageParser,
                                             lexer);
    JSONTokenRef token;
    Error *err = NULL;

    switch (type) {
    case JSON_LCURLY:
        parser->brace_count++;
        break;
    case JSON_RCURLY:
        parser->brace_count--;
        break;
    case JSON_LSQUARE:
        parser->bracket_count++;
        break;
    case JSON_RSQUARE:
        parser->bracket_count--;
        break;
    case JSON_ERROR:
        if (input->len > JSON_MAX_TOKEN_SIZE) {
            error_setg(&err, "JSON token size limit exceeded");
        } else {
            error_setg(&err, "JSON parse error, stray '%s'", input->str);
        }
        json_message_emit_error(parser, err);
        return;
    case JSON_END_OF_INPUT:
        if (parser->tokens->len) {
            json_message_complete(parser);
        }
        return;
    default:
        break;
    }

    err = json_message_check_limits(parser, input->len);
    if (err) {
        json_message_emit_error(parser, err);
        return;
    }

    token.type = type;
    token.len = input->len;
    token.offset = parser->token_text->len;
    g_string_append_len(parser->token_text, input->str, input->len + 1);
    g_array_append_val(parser->tokens, token);
    parser->token_count++;
    parser->token_size += input->len;

    if (parser->brace_count < 0 || parser->bracket_count < 0 ||
        (parser->brace_count == 0 && parser->bracket_count == 0)) {
        json_message_complete(parser);
    }
}

void json_message_parser_init(JSONMessageParser *parser,
                              void (*emit)(void *opaque, QObject *json,
                                           Error *err),
                              void *opaque, va_list *ap)
{
    parser->emit = emit;
    parser->opaque = opaque;
    parser->ap = ap;
    parser->tokens = g_array_new(false, false, sizeof(JSONTokenRef));
    parser->token_text = g_string_new("");
    json_message_reset(parser);
    json_lexer_init(&parser->lexer, ap != NULL);
}

void json_message_parser_feed(JSONMessageParser *parser,
                              const char *buffer, size_t size)
{
    json_lexer_feed(&parser->lexer, buffer, size);
}

void json_message_parser_flush(JSONMessageParser *parser)
{
    json_lexer_flush(&parser->lexer);
    assert(!parser->tokens->len);
}

void json_message_parser_destroy(JSONMessageParser *parser)
{
    json_lexer_destroy(&parser->lexer);
    g_array_free(parser->tokens, true);
    g_string_free(parser->token_text, true);
    parser->tokens = NULL;
    parser->token_text = NULL;
}
