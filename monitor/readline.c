/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The HMP line editor.  After every key the screen is brought in line
 * with the buffer: when the text changed, move back to the start of the
 * line, print it whole and clear to the end ("\033[K"); then move the
 * cursor with "\033[C"/"\033[D".  This is the output QEMU's own monitor
 * produces, so scripts and tests see the same bytes.
 */
#include "qemu/osdep.h"
#include "readline.h"

enum {
    ESC_NONE,
    ESC_ESC,                    /* got ESC */
    ESC_CSI,                    /* got ESC [ */
    ESC_SS3,                    /* got ESC O */
};

static void readline_print(ReadLineState *rs, const char *str)
{
    rs->print(rs->opaque, str, strlen(str));
}

static void readline_repeat(ReadLineState *rs, const char *seq, int n)
{
    GString *out = g_string_new(NULL);

    while (n-- > 0) {
        g_string_append(out, seq);
    }
    rs->print(rs->opaque, out->str, out->len);
    g_string_free(out, true);
}

static void readline_update(ReadLineState *rs)
{
    int delta;

    if (rs->cmd_buf_size != rs->last_cmd_buf_size ||
        memcmp(rs->cmd_buf, rs->last_cmd_buf, rs->cmd_buf_size)) {
        readline_repeat(rs, "\033[D", rs->last_cmd_buf_index);
        rs->print(rs->opaque, rs->cmd_buf, rs->cmd_buf_size);
        readline_print(rs, "\033[K");
        memcpy(rs->last_cmd_buf, rs->cmd_buf, rs->cmd_buf_size);
        rs->last_cmd_buf_size = rs->cmd_buf_size;
        rs->last_cmd_buf_index = rs->cmd_buf_size;
    }
    delta = rs->cmd_buf_index - rs->last_cmd_buf_index;
    if (delta > 0) {
        readline_repeat(rs, "\033[C", delta);
    } else if (delta < 0) {
        readline_repeat(rs, "\033[D", -delta);
    }
    rs->last_cmd_buf_index = rs->cmd_buf_index;
}

static void readline_insert_char(ReadLineState *rs, int ch)
{
    if (rs->cmd_buf_size >= READLINE_CMD_BUF_SIZE - 1) {
        return;
    }
    memmove(rs->cmd_buf + rs->cmd_buf_index + 1,
            rs->cmd_buf + rs->cmd_buf_index,
            rs->cmd_buf_size - rs->cmd_buf_index);
    rs->cmd_buf[rs->cmd_buf_index++] = ch;
    rs->cmd_buf_size++;
}

static void readline_delete_char(ReadLineState *rs)
{
    if (rs->cmd_buf_index < rs->cmd_buf_size) {
        memmove(rs->cmd_buf + rs->cmd_buf_index,
                rs->cmd_buf + rs->cmd_buf_index + 1,
                rs->cmd_buf_size - rs->cmd_buf_index - 1);
        rs->cmd_buf_size--;
    }
}

static void readline_backspace(ReadLineState *rs)
{
    if (rs->cmd_buf_index > 0) {
        rs->cmd_buf_index--;
        readline_delete_char(rs);
    }
}

static int readline_history_len(ReadLineState *rs)
{
    int n = 0;

    while (n < READLINE_MAX_HISTORY && rs->history[n]) {
        n++;
    }
    return n;
}

/* Append @line; an older copy of it moves to the end. */
static void readline_history_add(ReadLineState *rs, const char *line)
{
    int n = readline_history_len(rs);
    int i;

    if (!*line) {
        return;
    }
    for (i = 0; i < n; i++) {
        if (!strcmp(rs->history[i], line)) {
            break;
        }
    }
    if (i == n && n == READLINE_MAX_HISTORY) {
        i = 0;                  /* full: drop the oldest */
    }
    if (i < n) {
        g_free(rs->history[i]);
        memmove(&rs->history[i], &rs->history[i + 1],
                (n - i - 1) * sizeof(rs->history[0]));
        n--;
    }
    rs->history[n] = g_strdup(line);
    rs->hist_entry = -1;
}

static void readline_set_line(ReadLineState *rs, const char *line)
{
    rs->cmd_buf_size = MIN(strlen(line), READLINE_CMD_BUF_SIZE - 1);
    memcpy(rs->cmd_buf, line, rs->cmd_buf_size);
    rs->cmd_buf_index = rs->cmd_buf_size;
}

static void readline_history_move(ReadLineState *rs, int dir)
{
    int n = readline_history_len(rs);

    if (dir < 0) {
        if (rs->hist_entry == 0 || n == 0) {
            return;
        }
        rs->hist_entry = rs->hist_entry < 0 ? n - 1 : rs->hist_entry - 1;
        readline_set_line(rs, rs->history[rs->hist_entry]);
    } else {
        if (rs->hist_entry < 0) {
            return;
        }
        if (++rs->hist_entry >= n) {
            rs->hist_entry = -1;
            readline_set_line(rs, "");
        } else {
            readline_set_line(rs, rs->history[rs->hist_entry]);
        }
    }
}

static void readline_enter(ReadLineState *rs)
{
    g_autofree char *line = g_strndup(rs->cmd_buf, rs->cmd_buf_size);

    readline_history_add(rs, line);
    rs->hist_entry = -1;
    readline_print(rs, "\n");
    readline_restart(rs);
    rs->line_done(rs->opaque, line);
}

/*
 * The last byte of "ESC [ ...".  As in QEMU, F and E are synonyms of
 * up and down; home and end are "ESC [ 1 ~" and "ESC [ 4 ~".
 */
static void readline_handle_csi(ReadLineState *rs, int ch)
{
    switch (ch) {
    case 'A':
    case 'F':
        readline_history_move(rs, -1);
        break;
    case 'B':
    case 'E':
        readline_history_move(rs, 1);
        break;
    case 'C':
        if (rs->cmd_buf_index < rs->cmd_buf_size) {
            rs->cmd_buf_index++;
        }
        break;
    case 'D':
        if (rs->cmd_buf_index > 0) {
            rs->cmd_buf_index--;
        }
        break;
    case '~':
        if (rs->esc_param == 1) {
            rs->cmd_buf_index = 0;
        } else if (rs->esc_param == 3) {
            readline_delete_char(rs);
        } else if (rs->esc_param == 4) {
            rs->cmd_buf_index = rs->cmd_buf_size;
        }
        break;
    }
}

/* "ESC O H" and "ESC O F": home and end. */
static void readline_handle_ss3(ReadLineState *rs, int ch)
{
    if (ch == 'H') {
        rs->cmd_buf_index = 0;
    } else if (ch == 'F') {
        rs->cmd_buf_index = rs->cmd_buf_size;
    }
}

void readline_handle_byte(ReadLineState *rs, int ch)
{
    switch (rs->esc_state) {
    case ESC_ESC:
        rs->esc_param = 0;
        rs->esc_state = ch == '[' ? ESC_CSI : ch == 'O' ? ESC_SS3 : ESC_NONE;
        return;
    case ESC_SS3:
        rs->esc_state = ESC_NONE;
        readline_handle_ss3(rs, ch);
        break;
    case ESC_CSI:
        if (ch >= '0' && ch <= '9') {
            rs->esc_param = MIN(rs->esc_param * 10 + ch - '0', 1000);
            return;
        }
        rs->esc_state = ESC_NONE;
        readline_handle_csi(rs, ch);
        break;
    default:
        if (ch == '\r' || ch == '\n') {
            readline_enter(rs);
            return;
        } else if (ch == 27) {
            rs->esc_state = ESC_ESC;
            return;
        } else if (ch == 1) {
            rs->cmd_buf_index = 0;
        } else if (ch == 5) {
            rs->cmd_buf_index = rs->cmd_buf_size;
        } else if (ch == 8 || ch == 127) {
            readline_backspace(rs);
        } else if (ch >= 32) {
            readline_insert_char(rs, ch);
        }
        break;
    }
    readline_update(rs);
}

void readline_restart(ReadLineState *rs)
{
    rs->cmd_buf_index = 0;
    rs->cmd_buf_size = 0;
    rs->last_cmd_buf_index = 0;
    rs->last_cmd_buf_size = 0;
    rs->esc_state = ESC_NONE;
}

void readline_init(ReadLineState *rs, ReadLinePrintFunc *print,
                   ReadLineLineFunc *done, void *opaque)
{
    memset(rs, 0, sizeof(*rs));
    rs->hist_entry = -1;
    rs->print = print;
    rs->line_done = done;
    rs->opaque = opaque;
}

void readline_free(ReadLineState *rs)
{
    int i;

    for (i = 0; i < READLINE_MAX_HISTORY; i++) {
        g_free(rs->history[i]);
        rs->history[i] = NULL;
    }
}
