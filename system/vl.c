/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * qemu-system-x86_64: parse the command line the way QEMU does, set up
 * the monitors, chardevs and qtest, then run the main loop until a
 * shutdown is requested.  There is no CPU: the machine only exists to be
 * driven over QMP and qtest.
 */
#include "qemu/osdep.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qemu/main-loop.h"
#include "qemu/timer.h"
#include "chardev/char.h"
#include "monitor/monitor.h"
#include "sysemu/qtest.h"
#include "sysemu/runstate.h"
#include "vl-options.h"
#include "system/vl-block.h"

#define QEMU_COPYRIGHT "Copyright (c) 2003-2022 " \
    "Fabrice Bellard and the QEMU Project developers"

typedef struct MachineType {
    const char *name;
    const char *desc;
    const char *alias;          /* the versioned name, or NULL */
    bool is_default;
} MachineType;

static const MachineType machine_types[] = {
    { "pc", "Standard PC (i440FX + PIIX, 1996)", "pc-i440fx-7.2", false },
    { "pc-i440fx-7.2", "Standard PC (i440FX + PIIX, 1996)", NULL, true },
    { "q35", "Standard PC (Q35 + ICH9, 2009)", "pc-q35-7.2", false },
    { "pc-q35-7.2", "Standard PC (Q35 + ICH9, 2009)", NULL, false },
    { "none", "empty machine", NULL, false },
};

/* What the command line asked for; applied once parsing is done. */
typedef struct VLConfig {
    const char *machine;
    bool autostart;
    bool qtest_accel;
    bool accel_given;           /* -accel or -machine accel= was used */
    bool daemonize;
    const char *pidfile;
    char *name;
    GPtrArray *chardevs;        /* -chardev strings */
    GPtrArray *monitors;        /* "qmp:", "qmp-pretty:", "hmp:" + spec */
    GPtrArray *mons;            /* -mon strings */
    GPtrArray *blockdevs;       /* "drive:" or "blockdev:" + argument */
    const char *qtest;
} VLConfig;

/* "7.2.0 (PKGVERSION)", or just the version without a package string. */
static char *vl_full_version(void)
{
    if (!*QEMU_PKGVERSION) {
        return g_strdup(QEMU_VERSION);
    }
    return g_strdup_printf("%s (%s)", QEMU_VERSION, QEMU_PKGVERSION);
}

static void vl_help(void)
{
    g_autofree char *version = vl_full_version();

    printf("QEMU emulator version %s\n%s\n"
           "usage: qemu-system-x86_64 [options]\n\n", version,
           QEMU_COPYRIGHT);
    vl_print_option_help();
    printf("\nThis build has no CPU emulation and no devices yet: it is\n"
           "driven over QMP and qtest.\n");
}

static void vl_version(void)
{
    g_autofree char *version = vl_full_version();

    printf("QEMU emulator version %s\n%s\n", version, QEMU_COPYRIGHT);
}

static void vl_machine_help(void)
{
    size_t i;

    printf("Supported machines are:\n");
    for (i = 0; i < G_N_ELEMENTS(machine_types); i++) {
        const MachineType *m = &machine_types[i];
        g_autofree char *alias = m->alias ?
            g_strdup_printf(" (alias of %s)", m->alias) : g_strdup("");

        printf("%-20s %s%s%s\n", m->name, m->desc, alias,
               m->is_default ? " (default)" : "");
    }
}

static bool vl_find_machine(const char *name)
{
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(machine_types); i++) {
        if (!strcmp(machine_types[i].name, name)) {
            return true;
        }
    }
    return false;
}

/*
 * Accelerators: there is no CPU to accelerate, so tcg and kvm change
 * nothing observable; accept them so that command lines written for
 * QEMU work unchanged.  qtest switches the virtual clock to manual.
 */
static bool vl_parse_accel(VLConfig *cfg, const char *accel, Error **errp)
{
    g_auto(GStrv) list = g_strsplit(accel, ":", -1);
    char **a;

    cfg->accel_given = true;

    for (a = list; *a; a++) {
        if (!strcmp(*a, "qtest")) {
            cfg->qtest_accel = true;
            return true;
        } else if (!strcmp(*a, "tcg") || !strcmp(*a, "kvm")) {
            return true;
        }
    }
    error_setg(errp, "invalid accelerator %s", accel);
    return false;
}

/* -machine [type=]NAME[,accel=A][,...] */
static bool vl_parse_machine(VLConfig *cfg, const char *arg, Error **errp)
{
    g_auto(GStrv) items = g_strsplit(arg, ",", -1);
    char **it;

    for (it = items; *it; it++) {
        const char *val;

        if (it == items && !strchr(*it, '=')) {
            cfg->machine = g_intern_string(*it);
        } else if (strstart(*it, "type=", &val)) {
            cfg->machine = g_intern_string(val);
        } else if (strstart(*it, "accel=", &val)) {
            if (!vl_parse_accel(cfg, val, errp)) {
                return false;
            }
        } else if (**it) {
            g_autofree char *key = g_strndup(*it, strcspn(*it, "="));

            error_setg(errp, "Property '%s-machine.%s' not found",
                       cfg->machine ? cfg->machine : "pc", key);
            return false;
        }
    }
    return true;
}

static bool vl_parse_memory(const char *arg, Error **errp)
{
    const char *val = arg;
    uint64_t size;

    strstart(arg, "size=", &val);
    if (qemu_strtosz_MiB(val, NULL, &size) < 0) {
        error_setg(errp, "Parameter 'size' expects a non-negative number "
                   "below 2^64");
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means "
                          "kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
        return false;
    }
    return true;
}

/* Handle one option; return false (with @errp set) on a bad argument. */
static bool vl_handle_option(VLConfig *cfg, const VLOption *opt,
                             const char *arg, Error **errp)
{
    switch (opt->index) {
    case VL_OPT_HELP:
        vl_help();
        exit(0);
    case VL_OPT_VERSION:
        vl_version();
        exit(0);
    case VL_OPT_MACHINE:
        if (!strcmp(arg, "help") || !strcmp(arg, "?")) {
            vl_machine_help();
            exit(0);
        }
        return vl_parse_machine(cfg, arg, errp);
    case VL_OPT_ACCEL:
        return vl_parse_accel(cfg, arg, errp);
    case VL_OPT_MEMORY:
        return vl_parse_memory(arg, errp);
    case VL_OPT_DISPLAY:
        if (strcmp(arg, "none") && strncmp(arg, "none,", 5)) {
            error_setg(errp, "Parameter 'type' does not accept value '%s'",
                       arg);
            return false;
        }
        return true;
    case VL_OPT_VGA:
    case VL_OPT_SERIAL:
        if (strcmp(arg, "none") && strcmp(arg, "null")) {
            error_setg(errp, "'%s' is not supported by this build", arg);
            return false;
        }
        return true;
    case VL_OPT_S:
        cfg->autostart = false;
        return true;
    case VL_OPT_NAME:
        g_free(cfg->name);
        strstart(arg, "guest=", &arg);
        cfg->name = g_strndup(arg, strcspn(arg, ","));
        return true;
    case VL_OPT_PIDFILE:
        cfg->pidfile = arg;
        return true;
    case VL_OPT_DAEMONIZE:
        cfg->daemonize = true;
        return true;
    case VL_OPT_CHARDEV:
        g_ptr_array_add(cfg->chardevs, g_strdup(arg));
        return true;
    case VL_OPT_MON:
        g_ptr_array_add(cfg->mons, g_strdup(arg));
        return true;
    case VL_OPT_QMP:
        g_ptr_array_add(cfg->monitors, g_strconcat("qmp:", arg, NULL));
        return true;
    case VL_OPT_QMP_PRETTY:
        g_ptr_array_add(cfg->monitors, g_strconcat("qmp-pretty:", arg,
                                                   NULL));
        return true;
    case VL_OPT_MONITOR:
        g_ptr_array_add(cfg->monitors, g_strconcat("hmp:", arg, NULL));
        return true;
    case VL_OPT_QTEST:
        cfg->qtest = arg;
        return true;
    case VL_OPT_NODEFAULTS:
        /* There are no default devices to leave out. */
        return true;
    case VL_OPT_NODEFCONFIG:
        /*
         * QEMU 7.2 no longer knows it, but older scripts and test
         * harnesses still pass it; there is no config file to skip.
         */
        return true;
    case VL_OPT_DRIVE:
    case VL_OPT_BLOCKDEV:
        g_ptr_array_add(cfg->blockdevs,
                        g_strconcat(opt->index == VL_OPT_DRIVE ? "drive:" :
                                    "blockdev:", arg, NULL));
        return true;
    case VL_OPT_BLOCK:
        /* -device: guest device stubs, set up after the drives */
        g_ptr_array_add(cfg->blockdevs, g_strconcat("device:", arg, NULL));
        return true;
    }
    g_assert_not_reached();
}

static void vl_parse_args(VLConfig *cfg, int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        const char *arg = NULL;
        const VLOption *opt;
        g_autofree char *loc = NULL;
        Error *err = NULL;

        if (argv[i][0] != '-') {
            error_location_set(argv[i]);
            error_report("disk images are not supported yet by this build");
            exit(1);
        }
        opt = vl_find_option(argv[i]);
        if (!opt) {
            error_report("%s: invalid option", argv[i]);
            exit(1);
        }
        if (opt->has_arg) {
            if (i + 1 >= argc) {
                error_report("%s: requires an argument", argv[i]);
                exit(1);
            }
            arg = argv[++i];
            loc = g_strdup_printf("%s %s", argv[i - 1], arg);
        } else {
            loc = g_strdup(argv[i]);
        }
        error_location_set(loc);
        if (!vl_handle_option(cfg, opt, arg, &err)) {
            error_report_err(err);
            exit(1);
        }
        error_location_set(NULL);
    }
}

static Chardev *vl_monitor_chardev(const char *spec, Error **errp)
{
    static int count;
    g_autofree char *label = g_strdup_printf("compat_monitor%d", count++);

    return qemu_chr_new(label, spec, errp);
}

/* -qmp SPEC, -qmp-pretty SPEC, -monitor SPEC */
static bool vl_add_monitor(const char *entry, Error **errp)
{
    const char *spec;
    Chardev *chr;

    if (strstart(entry, "hmp:", &spec) && !strcmp(spec, "none")) {
        return true;
    }
    spec = strchr(entry, ':') + 1;
    chr = vl_monitor_chardev(spec, errp);
    if (!chr) {
        return false;
    }
    if (g_str_has_prefix(entry, "hmp:")) {
        return monitor_init_hmp(chr, errp);
    }
    return monitor_init_qmp(chr, g_str_has_prefix(entry, "qmp-pretty:"),
                            errp);
}

/* -mon chardev=ID[,mode=control|readline][,pretty=on|off] */
static bool vl_add_mon(const char *spec, Error **errp)
{
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    const char *chardev = NULL, *mode = "readline", *val;
    bool pretty = false;
    Chardev *chr;
    char **it;

    for (it = items; *it; it++) {
        if (strstart(*it, "chardev=", &val)) {
            chardev = val;
        } else if (strstart(*it, "mode=", &val)) {
            mode = val;
        } else if (strstart(*it, "pretty=", &val)) {
            if (!qapi_bool_parse("pretty", val, &pretty, errp)) {
                return false;
            }
        } else if (**it) {
            error_setg(errp, "Invalid parameter '%.*s'",
                       (int)strcspn(*it, "="), *it);
            return false;
        }
    }
    if (!chardev) {
        error_setg(errp, "Parameter 'chardev' is missing");
        return false;
    }
    chr = qemu_chr_find(chardev);
    if (!chr) {
        error_setg(errp, "chardev \"%s\" not found", chardev);
        return false;
    }
    if (!strcmp(mode, "control")) {
        return monitor_init_qmp(chr, pretty, errp);
    } else if (!strcmp(mode, "readline")) {
        return monitor_init_hmp(chr, errp);
    }
    error_setg(errp, "Parameter 'mode' does not accept value '%s'", mode);
    return false;
}

static bool vl_add_qtest(const char *spec, Error **errp)
{
    const char *rest;
    Chardev *chr;

    if (strstart(spec, "chardev:", &rest)) {
        chr = qemu_chr_find(rest);
        if (!chr) {
            error_setg(errp, "chardev \"%s\" not found", rest);
            return false;
        }
        return qtest_server_init(chr, errp);
    }
    chr = qemu_chr_new("qtest", spec, errp);
    return chr && qtest_server_init(chr, errp);
}

/* Apply, in QEMU's order, everything that creates chardevs and monitors. */
/*
 * QEMU's order: every -blockdev, then every -drive, then the -device
 * stubs, which refer to them.
 */
static bool vl_setup_block(VLConfig *cfg, Error **errp)
{
    static const char *const passes[] = { "blockdev", "drive", "device" };
    guint i;
    int pass;

    for (pass = 0; pass < ARRAY_SIZE(passes); pass++) {
        for (i = 0; i < cfg->blockdevs->len; i++) {
            const char *entry = g_ptr_array_index(cfg->blockdevs, i);
            const char *colon = strchr(entry, ':');
            g_autofree char *kind = g_strndup(entry, colon - entry);
            g_autofree char *loc = NULL;
            bool ok;

            if (strcmp(kind, passes[pass])) {
                continue;
            }
            loc = g_strdup_printf("-%s %s", kind, colon + 1);
            error_location_set(loc);
            if (!strcmp(kind, "drive")) {
                ok = vl_drive_add(colon + 1, errp);
            } else if (!strcmp(kind, "blockdev")) {
                ok = vl_blockdev_add(colon + 1, errp);
            } else {
                ok = vl_device_add_opts(colon + 1, errp);
            }
            if (!ok) {
                return false;
            }
        }
    }
    error_location_set(NULL);
    return true;
}

static bool vl_setup(VLConfig *cfg, Error **errp)
{
    guint i;

    if (!vl_setup_block(cfg, errp)) {
        return false;
    }

    for (i = 0; i < cfg->chardevs->len; i++) {
        const char *s = g_ptr_array_index(cfg->chardevs, i);
        g_autofree char *loc = g_strdup_printf("-chardev %s", s);

        error_location_set(loc);
        if (!qemu_chr_new_from_opts(s, errp)) {
            return false;
        }
    }
    error_location_set(NULL);
    if (cfg->qtest && !vl_add_qtest(cfg->qtest, errp)) {
        return false;
    }
    for (i = 0; i < cfg->mons->len; i++) {
        if (!vl_add_mon(g_ptr_array_index(cfg->mons, i), errp)) {
            return false;
        }
    }
    for (i = 0; i < cfg->monitors->len; i++) {
        const char *entry = g_ptr_array_index(cfg->monitors, i);
        const char *colon = strchr(entry, ':');
        g_autofree char *kind = g_strndup(entry, colon - entry);
        g_autofree char *loc = NULL;

        /* Messages name the option as the user wrote it. */
        loc = g_strdup_printf("-%s %s",
                              strcmp(kind, "hmp") ? kind : "monitor",
                              colon + 1);
        error_location_set(loc);
        if (!vl_add_monitor(entry, errp)) {
            return false;
        }
    }
    error_location_set(NULL);
    return true;
}

static void vl_signal_handler(int sig, siginfo_t *info, void *ctx)
{
    qemu_system_killed(sig, info ? info->si_pid : 0);
}

static void vl_install_signals(void)
{
    struct sigaction sa = { .sa_sigaction = vl_signal_handler,
                            .sa_flags = SA_SIGINFO };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static bool vl_write_pidfile(const char *path, Error **errp)
{
    g_autofree char *pid = g_strdup_printf("%d\n", (int)getpid());

    if (!g_file_set_contents(path, pid, -1, NULL)) {
        error_setg(errp, "cannot create PID file: %s", g_strerror(errno));
        return false;
    }
    return true;
}

/*
 * -daemonize: the parent waits until the child has finished setting up
 * (so sockets exist when it returns) and exits with the child's verdict.
 */
static int vl_daemonize_start(void)
{
    int fds[2];
    pid_t pid;
    char status = 1;

    if (pipe(fds) < 0) {
        error_report("cannot daemonize: %s", g_strerror(errno));
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        error_report("cannot daemonize: %s", g_strerror(errno));
        exit(1);
    }
    if (pid > 0) {
        close(fds[1]);
        if (read(fds[0], &status, 1) != 1) {
            status = 1;
        }
        _exit(status);
    }
    close(fds[0]);
    setsid();
    return fds[1];
}

static void vl_daemonize_finish(int fd, bool ok)
{
    char status = ok ? 0 : 1;
    int null_fd;

    if (fd < 0) {
        return;
    }
    if (ok) {
        null_fd = open("/dev/null", O_RDWR);
        dup2(null_fd, 0);
        dup2(null_fd, 1);
        dup2(null_fd, 2);
        close(null_fd);
    }
    if (write(fd, &status, 1) != 1) {
        /* The parent is gone; nothing to tell. */
    }
    close(fd);
}

int main(int argc, char **argv)
{
    VLConfig cfg = { .autostart = true };
    Error *err = NULL;
    int daemon_fd = -1;
    bool ok;

    g_set_prgname("qemu-system-x86_64");
    cfg.chardevs = g_ptr_array_new_with_free_func(g_free);
    cfg.monitors = g_ptr_array_new_with_free_func(g_free);
    cfg.mons = g_ptr_array_new_with_free_func(g_free);
    cfg.blockdevs = g_ptr_array_new_with_free_func(g_free);
    vl_parse_args(&cfg, argc, argv);
    if (cfg.machine && !vl_find_machine(cfg.machine)) {
        error_report("unsupported machine type");
        error_printf("Use -machine help to list supported machines\n");
        exit(1);
    }
    if (cfg.daemonize) {
        daemon_fd = vl_daemonize_start();
    }
    if (!qemu_init_main_loop(&err)) {
        error_report_err(err);
        exit(1);
    }
    /* As in QEMU, -qtest without an accelerator selects qtest. */
    if (cfg.qtest && !cfg.accel_given) {
        cfg.qtest_accel = true;
    }
    qtest_set_virtual_clock_mode(cfg.qtest_accel);
    vl_install_signals();
    monitor_init_globals();
    runstate_set(cfg.autostart ? RUN_STATE_RUNNING : RUN_STATE_PRELAUNCH);
    ok = vl_setup(&cfg, &err) &&
         (!cfg.pidfile || vl_write_pidfile(cfg.pidfile, &err));
    vl_daemonize_finish(daemon_fd, ok);
    if (!ok) {
        error_report_err(err);
        exit(1);
    }
    error_location_set(NULL);

    while (!main_loop_should_exit()) {
        main_loop_wait(false);
    }

    monitor_flush_all();
    monitor_cleanup();
    qtest_server_cleanup();
    qemu_chr_cleanup();
    vl_block_cleanup();
    if (cfg.pidfile) {
        unlink(cfg.pidfile);
    }
    qemu_cleanup_main_loop();
    g_ptr_array_unref(cfg.chardevs);
    g_ptr_array_unref(cfg.monitors);
    g_ptr_array_unref(cfg.mons);
    g_ptr_array_unref(cfg.blockdevs);
    g_free(cfg.name);
    return 0;
}
