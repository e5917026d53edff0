/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The "-p" progress line of qemu-img's long operations, drawn as QEMU 7.2
 * draws it: "    (P/100%)" followed by a carriage return, redrawn each
 * time progress moves by at least one percent, and a last 100% line
 * with a newline when the operation ends.
 */
#include "qemu/osdep.h"
#include "qemu-img.h"

static struct {
    bool enabled;
    float last_printed;
    float current;
} img_progress;

static void img_progress_draw(void)
{
    printf("    (%3.2f/100%%)\r", img_progress.current);
    fflush(stdout);
}

void img_progress_init(bool enabled)
{
    img_progress.enabled = enabled;
    img_progress.current = 0;
    img_progress.last_printed = 0;
    if (enabled) {
        img_progress_draw();
    }
}

void img_progress_print(float percent)
{
    if (!img_progress.enabled) {
        return;
    }
    img_progress.current = MIN(percent, 100);
    /* As QEMU: 0% and 100% are drawn every time they are reported. */
    if (img_progress.current - img_progress.last_printed >= 1.0 ||
        img_progress.current == 0 || img_progress.current == 100) {
        img_progress.last_printed = img_progress.current;
        img_progress_draw();
    }
}

void img_progress_end(void)
{
    if (!img_progress.enabled) {
        return;
    }
    img_progress.current = 100;
    img_progress_draw();
    printf("\n");
    fflush(stdout);
    img_progress.enabled = false;
}
