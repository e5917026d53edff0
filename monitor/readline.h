/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Private to monitor/: the HMP line editor.  It redraws the line the way
 * QEMU's readline does (so output compares byte for byte), moves the
 * cursor, and keeps a history for the up and down keys.
 */
#ifndef MONITOR_READLINE_H
#define MONITOR_READLINE_H

#define READLINE_CMD_BUF_SIZE 4096
#define READLINE_MAX_HISTORY 64

typedef void ReadLinePrintFunc(void *opaque, const char *str, size_t len);
typedef void ReadLineLineFunc(void *opaque, const char *line);

typedef struct ReadLineState {
    char cmd_buf[READLINE_CMD_BUF_SIZE];
    int cmd_buf_index;          /* cursor position */
    int cmd_buf_size;
    char last_cmd_buf[READLINE_CMD_BUF_SIZE];   /* what the screen shows */
    int last_cmd_buf_index;
    int last_cmd_buf_size;
    int esc_state;
    int esc_param;
    char *history[READLINE_MAX_HISTORY];        /* oldest first */
    int hist_entry;             /* being browsed, or -1 */
    ReadLinePrintFunc *print;
    ReadLineLineFunc *line_done;
    void *opaque;
} ReadLineState;

/* Set up @rs to echo through @print and hand complete lines to @done. */
void readline_init(ReadLineState *rs, ReadLinePrintFunc *print,
                   ReadLineLineFunc *done, void *opaque);
/* Forget the line being typed (a new client); history is kept. */
void readline_restart(ReadLineState *rs);
/* Feed one input byte. */
void readline_handle_byte(ReadLineState *rs, int ch);
/* Free the history. */
void readline_free(ReadLineState *rs);

#endif
