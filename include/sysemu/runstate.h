/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The run state of the (CPU-less) machine: prelaunch, running, paused,
 * shutdown; stop/cont and shutdown requests with their QMP events.
 */
#ifndef SYSEMU_RUNSTATE_H
#define SYSEMU_RUNSTATE_H

#include "qapi/qapi-types-run-state.h"

/**
 * runstate_set:
 * Enter @state (no event is sent).
 */
void runstate_set(RunState state);

/**
 * runstate_get:
 * Return the current run state.
 */
RunState runstate_get(void);

/**
 * runstate_is_running:
 * Return true while the machine runs.
 */
bool runstate_is_running(void);

/**
 * vm_start:
 * Enter the running state and send RESUME; no-op when already running.
 */
void vm_start(void);

/**
 * vm_stop:
 * Enter @state (normally paused) and send STOP; no-op unless running.
 */
void vm_stop(RunState state);

/**
 * qemu_system_shutdown_request:
 * Ask the main loop to exit for @cause; sends SHUTDOWN at once.
 */
void qemu_system_shutdown_request(ShutdownCause cause);

/**
 * qemu_system_killed:
 * Async-signal-safe: record that signal @signal from @pid asks for
 * shutdown.  The main loop reports it and shuts down.
 */
void qemu_system_killed(int signal, pid_t pid);

/**
 * qemu_shutdown_requested:
 * Return true once a shutdown has been requested.
 */
bool qemu_shutdown_requested(void);

/**
 * main_loop_should_exit:
 * Turn a pending signal into a shutdown (printing who sent it) and
 * return true when the main loop should stop.
 */
bool main_loop_should_exit(void);

#endif
