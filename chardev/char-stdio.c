/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stdio backend: input from fd 0, output to fd 1.  Output is written
 * synchronously because stdout is shared with the rest of the process
 * and must not be switched to non-blocking mode.  At end of input the
 * process keeps running and output still goes out, as with QEMU.
 */
#include "qemu/osdep.h"
#include "chardev-internal.h"
#include <glib-unix.h>
#include <termios.h>

#define STDIO_READ_SIZE 65536

typedef struct StdioChardev {
    Chardev parent;
    guint read_tag;
    bool eof;
} StdioChardev;

static bool stdio_in_use;
static bool stdio_tty_saved;
static struct termios stdio_saved_tty;

/* Put the terminal back as we found it, also on exit(). */
static void stdio_restore_tty(void)
{
    if (stdio_tty_saved) {
        tcsetattr(0, TCSANOW, &stdio_saved_tty);
        stdio_tty_saved = false;
    }
}

/*
 * On a terminal, the monitor does its own echo and line editing, so
 * switch off the terminal's (keeping Ctrl-C as a signal, as QEMU's
 * default signal=on does).
 */
static void stdio_set_raw_tty(void)
{
    static bool atexit_done;
    struct termios tty;

    if (!isatty(0) || tcgetattr(0, &stdio_saved_tty) < 0) {
        return;
    }
    stdio_tty_saved = true;
    if (!atexit_done) {
        atexit(stdio_restore_tty);
        atexit_done = true;
    }
    tty = stdio_saved_tty;
    tty.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR |
                     ICRNL | IXON);
    tty.c_oflag |= OPOST;
    tty.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    tty.c_cflag &= ~(CSIZE | PARENB);
    tty.c_cflag |= CS8;
    tty.c_cc[VMIN] = 1;
    tty.c_cc[VTIME] = 0;
    tcsetattr(0, TCSANOW, &tty);
}

static gboolean stdio_chr_read_cb(gint fd, GIOCondition cond,
                                  gpointer opaque)
{
    StdioChardev *s = opaque;
    g_autofree uint8_t *buf = g_malloc(STDIO_READ_SIZE);
    ssize_t n = read(fd, buf, STDIO_READ_SIZE);

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return G_SOURCE_CONTINUE;
    }
    if (n <= 0) {
        /*
         * Stop reading but stay "connected": QEMU keeps writing replies
         * and events to stdout after its input ends.
         */
        s->read_tag = 0;
        s->eof = true;
        return G_SOURCE_REMOVE;
    }
    qemu_chr_be_write(&s->parent, buf, n);
    return G_SOURCE_CONTINUE;
}

static bool stdio_chr_open(Chardev *chr, const ChardevOptions *opts,
                           Error **errp)
{
    if (stdio_in_use) {
        error_setg(errp, "cannot use stdio by multiple character devices");
        return false;
    }
    stdio_in_use = true;
    stdio_set_raw_tty();
    return true;
}

static void stdio_chr_start(Chardev *chr)
{
    StdioChardev *s = (StdioChardev *)chr;

    if (!s->read_tag && !s->eof) {
        s->read_tag = g_unix_fd_add(0, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                    stdio_chr_read_cb, s);
        qemu_chr_be_event(chr, CHR_EVENT_OPENED);
    }
}

static int stdio_chr_write(Chardev *chr, const uint8_t *buf, int len)
{
    int done = 0;

    while (done < len) {
        ssize_t n = write(1, buf + done, len - done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return -errno;
        }
        done += n;
    }
    return len;
}

static void stdio_chr_close(Chardev *chr)
{
    StdioChardev *s = (StdioChardev *)chr;

    if (s->read_tag) {
        g_source_remove(s->read_tag);
    }
    stdio_restore_tty();
    stdio_in_use = false;
}

const ChardevDriver char_stdio_driver = {
    .name = "stdio",
    .instance_size = sizeof(StdioChardev),
    .open = stdio_chr_open,
    .start = stdio_chr_start,
    .write = stdio_chr_write,
    .close = stdio_chr_close,
};
