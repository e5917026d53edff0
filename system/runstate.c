/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run state machine and the QMP commands that drive it: stop, cont,
 * query-status and quit, with the STOP, RESUME and SHUTDOWN events.
 */
#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "sysemu/runstate.h"
#include "qapi/qapi-commands-run-state.h"
#include "qapi/qapi-commands-control.h"
#include "qapi/qapi-events-run-state.h"

static RunState current_run_state = RUN_STATE_PRELAUNCH;
static ShutdownCause shutdown_cause = SHUTDOWN_CAUSE_NONE;

/* Written by the signal handler, read by the main loop. */
static volatile sig_atomic_t shutdown_signal;
static volatile pid_t shutdown_pid;

void runstate_set(RunState state)
{
    current_run_state = state;
}

RunState runstate_get(void)
{
    return current_run_state;
}

bool runstate_is_running(void)
{
    return current_run_state == RUN_STATE_RUNNING;
}

void vm_start(void)
{
    if (runstate_is_running()) {
        return;
    }
    runstate_set(RUN_STATE_RUNNING);
    qapi_event_send_resume();
}

void vm_stop(RunState state)
{
    if (!runstate_is_running()) {
        return;
    }
    runstate_set(state);
    qapi_event_send_stop();
}

void qemu_system_shutdown_request(ShutdownCause cause)
{
    if (shutdown_cause != SHUTDOWN_CAUSE_NONE) {
        return;
    }
    shutdown_cause = cause;
    /* None of our causes comes from a guest: there is no guest. */
    qapi_event_send_shutdown(false, cause);
    qemu_notify_event();
}

void qemu_system_killed(int signal, pid_t pid)
{
    shutdown_signal = signal;
    shutdown_pid = pid;
    qemu_notify_event();
}

bool qemu_shutdown_requested(void)
{
    return shutdown_cause != SHUTDOWN_CAUSE_NONE;
}

/* argv[0] of process @pid, as QEMU prints it in its kill report. */
static char *runstate_pid_name(pid_t pid)
{
    g_autofree char *path = g_strdup_printf("/proc/%d/cmdline", (int)pid);
    char *name = NULL;
    gsize len;

    if (!g_file_get_contents(path, &name, &len, NULL) || !len) {
        g_free(name);
        return g_strdup("<unknown process>");
    }
    return name;    /* the file's NULs end the string after argv[0] */
}

static void runstate_kill_report(void)
{
    g_autofree char *name = NULL;

    if (!shutdown_pid) {
        error_report("terminating on signal %d", shutdown_signal);
        return;
    }
    name = runstate_pid_name(shutdown_pid);
    error_report("terminating on signal %d from pid %d (%s)",
                 shutdown_signal, (int)shutdown_pid, name);
}

bool main_loop_should_exit(void)
{
    if (shutdown_signal && !qemu_shutdown_requested()) {
        runstate_kill_report();
        qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_SIGNAL);
    }
    if (qemu_shutdown_requested()) {
        runstate_set(RUN_STATE_SHUTDOWN);
        return true;
    }
    return false;
}

StatusInfo *qmp_query_status(Error **errp)
{
    StatusInfo *info = g_new0(StatusInfo, 1);

    info->running = runstate_is_running();
    info->singlestep = false;
    info->status = current_run_state;
    return info;
}

void qmp_stop(Error **errp)
{
    if (current_run_state == RUN_STATE_PRELAUNCH) {
        /* Nothing runs yet; stay in prelaunch, as QEMU does. */
        return;
    }
    vm_stop(RUN_STATE_PAUSED);
}

void qmp_cont(Error **errp)
{
    vm_start();
}

void qmp_quit(Error **errp)
{
    qemu_system_shutdown_request(SHUTDOWN_CAUSE_HOST_QMP_QUIT);
}
