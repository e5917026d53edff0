/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QemuOpts: option sets parsed from "name=value,..." strings and checked
 * against a table of descriptions.
 *
 * Design: a QemuOptsList owns a doubly linked list of QemuOpts instances;
 * each instance owns a doubly linked list of QemuOpt in the order they
 * were added.  A name may occur several times and the last occurrence
 * wins, so lookups walk from the tail: O(options) per lookup, which is
 * fine for the dozen options a command line item carries.
 */
#include "qemu/osdep.h"
#include "qemu/option.h"
#include "qemu/cutils.h"
#include "qemu/error-report.h"
#include "qobject/qbool.h"
#include "qobject/qstring.h"

struct QemuOpt {
    char *name;
    char *str;
    const QemuOptDesc *desc;    /* NULL if the list takes any option */
    union {
        bool boolean;
        uint64_t uint;
    } value;
    QemuOpts *opts;
    QemuOpt *prev;
    QemuOpt *next;
};

struct QemuOpts {
    char *id;
    QemuOptsList *list;
    QemuOpt *first;
    QemuOpt *last;
    QemuOpts *prev;
    QemuOpts *next;
};

/* ---- descriptions ---- */

static bool opts_accepts_any(const QemuOptsList *list)
{
    return list->desc[0].name == NULL;
}

static const QemuOptDesc *find_desc_by_name(const QemuOptDesc *desc,
                                            const char *name)
{
    for (; desc && desc->name; desc++) {
        if (g_str_equal(desc->name, name)) {
            return desc;
        }
    }
    return NULL;
}

static const char *find_default_by_name(QemuOpts *opts, const char *name)
{
    const QemuOptDesc *desc = find_desc_by_name(opts->list->desc, name);

    return desc ? desc->def_value_str : NULL;
}

/* ---- value parsing ---- */

static bool parse_option_number(const char *name, const char *value,
                                uint64_t *ret, Error **errp)
{
    int err = qemu_strtou64(value, NULL, 0, ret);

    if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is too large for parameter '%s'",
                   value, name);
        return false;
    }
    if (err) {
        error_setg(errp, "Parameter '%s' expects a number", name);
        return false;
    }
    return true;
}

static bool parse_option_size(const char *name, const char *value,
                              uint64_t *ret, Error **errp)
{
    int err = qemu_strtosz(value, NULL, ret);

    if (err == -ERANGE) {
        error_setg(errp, "Value '%s' is out of range for parameter '%s'",
                   value, name);
        return false;
    }
    if (err) {
        error_setg(errp, "Parameter '%s' expects a non-negative number "
                   "below 2^64", name);
        error_append_hint(errp, "Optional suffix k, M, G, T, P or E means"
                          " kilo-, mega-, giga-, tera-, peta-\n"
                          "and exabytes, respectively.\n");
        return false;
    }
    return true;
}

/* Parse opt->str according to opt->desc into opt->value. */
static bool qemu_opt_parse(QemuOpt *opt, Error **errp)
{
    if (!opt->desc) {
        return true;
    }
    switch (opt->desc->type) {
    case QEMU_OPT_STRING:
        return true;
    case QEMU_OPT_BOOL:
        return qapi_bool_parse(opt->name, opt->str, &opt->value.boolean,
                               errp);
    case QEMU_OPT_NUMBER:
        return parse_option_number(opt->name, opt->str, &opt->value.uint,
                                   errp);
    case QEMU_OPT_SIZE:
        return parse_option_size(opt->name, opt->str, &opt->value.uint,
                                 errp);
    }
    g_assert_not_reached();
}

/* ---- single options ---- */

static QemuOpt *qemu_opt_find(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;

    for (opt = opts->last; opt; opt = opt->prev) {
        if (g_str_equal(opt->name, name)) {
            return opt;
        }
    }
    return NULL;
}

static void qemu_opt_del(QemuOpt *opt)
{
    QemuOpts *opts = opt->opts;

    if (opt->prev) {
        opt->prev->next = opt->next;
    } else {
        opts->first = opt->next;
    }
    if (opt->next) {
        opt->next->prev = opt->prev;
    } else {
        opts->last = opt->prev;
    }
    g_free(opt->name);
    g_free(opt->str);
    g_free(opt);
}

/* Delete every option @name except @keep. */
static void qemu_opt_del_all(QemuOpts *opts, const char *name, QemuOpt *keep)
{
    QemuOpt *opt, *prev;

    for (opt = opts->last; opt; opt = prev) {
        prev = opt->prev;
        if (opt != keep && g_str_equal(opt->name, name)) {
            qemu_opt_del(opt);
        }
    }
}

/* Append a new option, taking ownership of @name and @value. */
static QemuOpt *opt_create(QemuOpts *opts, char *name, char *value)
{
    QemuOpt *opt = g_new0(QemuOpt, 1);

    opt->name = name;
    opt->str = value;
    opt->opts = opts;
    opt->prev = opts->last;
    if (opts->last) {
        opts->last->next = opt;
    } else {
        opts->first = opt;
    }
    opts->last = opt;
    return opt;
}

/* Attach the description of @opt and parse its value, or fail. */
static bool opt_validate(QemuOpt *opt, Error **errp)
{
    QemuOptsList *list = opt->opts->list;

    opt->desc = find_desc_by_name(list->desc, opt->name);
    if (!opt->desc && !opts_accepts_any(list)) {
        error_setg(errp, "Invalid parameter '%s'", opt->name);
        return false;
    }
    return qemu_opt_parse(opt, errp);
}

/* Add @name=@value (both owned), removing it again if it is invalid. */
static bool opt_set(QemuOpts *opts, char *name, char *value, Error **errp)
{
    QemuOpt *opt = opt_create(opts, name, value);

    if (!opt_validate(opt, errp)) {
        qemu_opt_del(opt);
        return false;
    }
    return true;
}

const char *qemu_opt_get(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;

    if (!opts) {
        return NULL;
    }
    opt = qemu_opt_find(opts, name);
    return opt ? opt->str : find_default_by_name(opts, name);
}

char *qemu_opt_get_del(QemuOpts *opts, const char *name)
{
    QemuOpt *opt;
    char *str;

    if (!opts) {
        return NULL;
    }
    opt = qemu_opt_find(opts, name);
    if (!opt) {
        return g_strdup(find_default_by_name(opts, name));
    }
    str = g_strdup(opt->str);
    qemu_opt_del_all(opts, name, NULL);
    return str;
}

bool qemu_opt_has_help_opt(QemuOpts *opts)
{
    QemuOpt *opt;

    for (opt = opts->last; opt; opt = opt->prev) {
        if (is_help_option(opt->name)) {
            return true;
        }
    }
    return false;
}

/*
 * Read option @name as @type: the parsed value when the option was
 * validated as that type, else its string (or table default) parsed
 * now; @defval when absent or unreadable.  Optionally delete @name.
 */
static uint64_t opt_get_typed(QemuOpts *opts, const char *name,
                              QemuOptType type, uint64_t defval, bool del)
{
    QemuOpt *opt;
    const char *str;
    uint64_t ret = defval;
    bool b;

    if (!opts) {
        return defval;
    }
    opt = qemu_opt_find(opts, name);
    if (opt && opt->desc && opt->desc->type == type) {
        ret = type == QEMU_OPT_BOOL ? opt->value.boolean : opt->value.uint;
    } else {
        str = opt ? opt->str : find_default_by_name(opts, name);
        if (!str) {
            ret = defval;
        } else if (type == QEMU_OPT_BOOL) {
            ret = qapi_bool_parse(name, str, &b, NULL) ? b : defval;
        } else if (type == QEMU_OPT_NUMBER) {
            ret = parse_option_number(name, str, &ret, NULL) ? ret : defval;
        } else {
            ret = parse_option_size(name, str, &ret, NULL) ? ret : defval;
        }
    }
    if (opt && del) {
        qemu_opt_del_all(opts, name, NULL);
    }
    return ret;
}

bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval)
{
    return opt_get_typed(opts, name, QEMU_OPT_BOOL, defval, false);
}

uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval)
{
    return opt_get_typed(opts, name, QEMU_OPT_NUMBER, defval, false);
}

uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name,
                           uint64_t defval)
{
    return opt_get_typed(opts, name, QEMU_OPT_SIZE, defval, false);
}

bool qemu_opt_get_bool_del(QemuOpts *opts, const char *name, bool defval)
{
    return opt_get_typed(opts, name, QEMU_OPT_BOOL, defval, true);
}

uint64_t qemu_opt_get_number_del(QemuOpts *opts, const char *name,
                                 uint64_t defval)
{
    return opt_get_typed(opts, name, QEMU_OPT_NUMBER, defval, true);
}

uint64_t qemu_opt_get_size_del(QemuOpts *opts, const char *name,
                               uint64_t defval)
{
    return opt_get_typed(opts, name, QEMU_OPT_SIZE, defval, true);
}

int qemu_opt_unset(QemuOpts *opts, const char *name)
{
    QemuOpt *opt = qemu_opt_find(opts, name);

    if (!opt) {
        return -1;
    }
    qemu_opt_del(opt);
    return 0;
}

bool qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp)
{
    return opt_set(opts, g_strdup(name), g_strdup(value), errp);
}

bool qemu_opt_set_bool(QemuOpts *opts, const char *name, bool val,
                       Error **errp)
{
    return opt_set(opts, g_strdup(name), g_strdup(val ? "on" : "off"),
                   errp);
}

bool qemu_opt_set_number(QemuOpts *opts, const char *name, int64_t val,
                         Error **errp)
{
    return opt_set(opts, g_strdup(name),
                   g_strdup_printf("%" PRId64, val), errp);
}

int qemu_opt_foreach(QemuOpts *opts, qemu_opt_loopfunc func, void *opaque,
                     Error **errp)
{
    QemuOpt *opt;
    int rc;

    for (opt = opts->first; opt; opt = opt->next) {
        rc = func(opaque, opt->name, opt->str, errp);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

static QemuOpt *opt_next_named(QemuOpt *opt, const char *name)
{
    while (opt && name && !g_str_equal(opt->name, name)) {
        opt = opt->next;
    }
    return opt;
}

void qemu_opt_iter_init(QemuOptsIter *iter, QemuOpts *opts,
                        const char *name)
{
    iter->name = name;
    iter->opt = opt_next_named(opts->first, name);
}

const char *qemu_opt_iter_next(QemuOptsIter *iter)
{
    QemuOpt *opt = iter->opt;

    if (!opt) {
        return NULL;
    }
    iter->opt = opt_next_named(opt->next, iter->name);
    return opt->str;
}

/* ---- option sets ---- */

QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id)
{
    QemuOpts *opts;

    for (opts = list->head.first; opts; opts = opts->next) {
        if (g_strcmp0(opts->id, id) == 0) {
            return opts;
        }
    }
    return NULL;
}

static bool opts_check_id(QemuOptsList *list, const char *id, Error **errp)
{
    if (list->merge_lists) {
        error_setg(errp, "Invalid parameter '%s'", "id");
        return false;
    }
    if (!id_wellformed(id)) {
        error_setg(errp, "Parameter '%s' expects %s", "id", "an identifier");
        error_append_hint(errp, "Identifiers consist of letters, digits, "
                          "'-', '.', '_', starting with a letter.\n");
        return false;
    }
    return true;
}

QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           int fail_if_exists, Error **errp)
{
    QemuOpts *opts;

    if (id && !opts_check_id(list, id, errp)) {
        return NULL;
    }
    /* Anonymous instances of an ordinary list are always new. */
    opts = list->merge_lists || id ? qemu_opts_find(list, id) : NULL;
    if (opts && id && fail_if_exists) {
        error_setg(errp, "Duplicate ID '%s' for %s", id, list->name);
        return NULL;
    }
    if (opts) {
        return opts;
    }
    opts = g_new0(QemuOpts, 1);
    opts->id = g_strdup(id);
    opts->list = list;
    opts->prev = list->head.last;
    if (list->head.last) {
        list->head.last->next = opts;
    } else {
        list->head.first = opts;
    }
    list->head.last = opts;
    return opts;
}

void qemu_opts_reset(QemuOptsList *list)
{
    while (list->head.first) {
        qemu_opts_del(list->head.first);
    }
}

const char *qemu_opts_id(QemuOpts *opts)
{
    return opts->id;
}

void qemu_opts_set_id(QemuOpts *opts, char *id)
{
    g_free(opts->id);
    opts->id = id;
}

void qemu_opts_del(QemuOpts *opts)
{
    QemuOptsList *list;

    if (!opts) {
        return;
    }
    while (opts->first) {
        qemu_opt_del(opts->first);
    }
    list = opts->list;
    if (opts->prev) {
        opts->prev->next = opts->next;
    } else {
        list->head.first = opts->next;
    }
    if (opts->next) {
        opts->next->prev = opts->prev;
    } else {
        list->head.last = opts->prev;
    }
    g_free(opts->id);
    g_free(opts);
}

bool qemu_opts_validate(QemuOpts *opts, const QemuOptDesc *desc,
                        Error **errp)
{
    QemuOpt *opt;

    for (opt = opts->first; opt; opt = opt->next) {
        opt->desc = find_desc_by_name(desc, opt->name);
        if (!opt->desc) {
            error_setg(errp, "Invalid parameter '%s'", opt->name);
            return false;
        }
        if (!qemu_opt_parse(opt, errp)) {
            return false;
        }
    }
    return true;
}

int qemu_opts_foreach(QemuOptsList *list, qemu_opts_loopfunc func,
                      void *opaque, Error **errp)
{
    QemuOpts *opts, *next;
    int rc;

    for (opts = list->head.first; opts; opts = next) {
        next = opts->next;
        rc = func(opaque, opts, errp);
        if (rc) {
            return rc;
        }
    }
    return 0;
}

/* ---- QDict conversions ---- */

/*
 * Set the option for one QDict member; non-scalar members and "id" are
 * skipped (and succeed).
 */
static bool opts_set_from_qobject(QemuOpts *opts, const char *key,
                                  QObject *obj, Error **errp)
{
    g_autofree char *tmp = NULL;
    const char *value;

    if (g_str_equal(key, "id")) {
        return true;
    }
    switch (qobject_type(obj)) {
    case QTYPE_QSTRING:
        value = qstring_get_str(qobject_to(QString, obj));
        break;
    case QTYPE_QNUM:
        value = tmp = qnum_to_string(qobject_to(QNum, obj));
        break;
    case QTYPE_QBOOL:
        value = qbool_get_bool(qobject_to(QBool, obj)) ? "on" : "off";
        break;
    default:
        return true;
    }
    return qemu_opt_set(opts, key, value, errp);
}

QemuOpts *qemu_opts_from_qdict(QemuOptsList *list, const QDict *qdict,
                               Error **errp)
{
    const QDictEntry *e;
    QemuOpts *opts;

    opts = qemu_opts_create(list, qdict_get_try_str(qdict, "id"), 1, errp);
    if (!opts) {
        return NULL;
    }
    for (e = qdict_first(qdict); e; e = qdict_next(qdict, e)) {
        if (!opts_set_from_qobject(opts, qdict_entry_key(e),
                                   qdict_entry_value(e), errp)) {
            qemu_opts_del(opts);
            return NULL;
        }
    }
    return opts;
}

QDict *qemu_opts_to_qdict_filtered(QemuOpts *opts, QDict *qdict,
                                   QemuOptsList *list, bool del)
{
    QemuOpt *opt, *next;

    if (!qdict) {
        qdict = qdict_new();
    }
    if (opts->id) {
        qdict_put_str(qdict, "id", opts->id);
    }
    for (opt = opts->first; opt; opt = next) {
        next = opt->next;
        if (list && !find_desc_by_name(list->desc, opt->name)) {
            continue;
        }
        qdict_put_str(qdict, opt->name, opt->str);
        if (del) {
            qemu_opt_del(opt);
        }
    }
    return qdict;
}

QDict *qemu_opts_to_qdict(QemuOpts *opts, QDict *qdict)
{
    return qemu_opts_to_qdict_filtered(opts, qdict, NULL, false);
}

bool qemu_opts_absorb_qdict(QemuOpts *opts, QDict *qdict, Error **errp)
{
    g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func(g_free);
    const QDictEntry *e;
    bool ok = true;
    guint i;

    for (e = qdict_first(qdict); e; e = qdict_next(qdict, e)) {
        const char *key = qdict_entry_key(e);

        if (!opts_accepts_any(opts->list) &&
            !find_desc_by_name(opts->list->desc, key)) {
            continue;
        }
        if (!opts_set_from_qobject(opts, key, qdict_entry_value(e), errp)) {
            ok = false;
            break;
        }
        g_ptr_array_add(taken, g_strdup(key));
    }
    /* Delete after the walk: deleting would break the iteration. */
    for (i = 0; i < taken->len; i++) {
        qdict_del(qdict, g_ptr_array_index(taken, i));
    }
    return ok;
}

/* ---- parsing "name=value,..." ---- */

bool is_help_option(const char *s)
{
    return g_str_equal(s, "?") || g_str_equal(s, "help");
}

/*
 * Copy a value up to the next single ',' into a new string, turning
 * ",," into ','.  Return a pointer to the ending ',' or NUL.
 */
static const char *get_opt_value(const char *p, char **value)
{
    GString *s = g_string_new(NULL);

    while (*p) {
        if (*p == ',') {
            if (p[1] != ',') {
                break;
            }
            p++;
        }
        g_string_append_c(s, *p++);
    }
    *value = g_string_free(s, false);
    return p;
}

/*
 * "flag" is flag=on, "noflag" flag=off; help flags are reported.  As in
 * QEMU, any name starting with "no" is negated, so "nocow" means cow=off.
 */
static const char *get_opt_flag(const char *p, size_t len, bool warn,
                                bool *help_wanted, char **name,
                                char **value)
{
    bool negated = len >= 2 && strncmp(p, "no", 2) == 0;
    bool is_help;

    *name = g_strndup(p + (negated ? 2 : 0), len - (negated ? 2 : 0));
    *value = g_strdup(negated ? "off" : "on");
    is_help = !negated && is_help_option(*name);
    if (is_help && help_wanted) {
        *help_wanted = true;
    }
    if (!is_help && warn) {
        warn_report("short-form boolean option '%s%s' deprecated",
                    negated ? "no" : "", *name);
        error_printf("Please use %s=%s instead\n", *name, *value);
    }
    return p + len;
}

/*
 * Split the item at @p into a new *@name and *@value and return the
 * start of the next item.  A leading value without '=' belongs to
 * @firstname if given, else it is a flag.
 */
static const char *get_opt_name_value(const char *p, const char *firstname,
                                      bool warn_on_flag, bool *help_wanted,
                                      char **name, char **value)
{
    size_t len = strcspn(p, "=,");

    if (p[len] == '=') {
        *name = g_strndup(p, len);
        p = get_opt_value(p + len + 1, value);
    } else if (firstname) {
        *name = g_strdup(firstname);
        p = get_opt_value(p, value);
    } else {
        p = get_opt_flag(p, len, warn_on_flag, help_wanted, name, value);
    }
    assert(*p == '\0' || *p == ',');
    return *p ? p + 1 : p;
}

static bool opts_do_parse(QemuOpts *opts, const char *params,
                          const char *firstname, bool warn_on_flag,
                          bool *help_wanted, Error **errp)
{
    const char *p = params;
    char *name, *value;

    while (*p) {
        p = get_opt_name_value(p, firstname, warn_on_flag, help_wanted,
                               &name, &value);
        firstname = NULL;
        if ((help_wanted && *help_wanted) || g_str_equal(name, "id")) {
            g_free(name);
            g_free(value);
            if (help_wanted && *help_wanted) {
                return false;
            }
            continue;
        }
        if (!opt_set(opts, name, value, errp)) {
            return false;
        }
    }
    return true;
}

/* Return a copy of the value of the first "id=" item, or NULL. */
static char *opts_parse_id(const char *params)
{
    const char *p = params;
    char *name, *value;

    while (*p) {
        p = get_opt_name_value(p, NULL, false, NULL, &name, &value);
        if (g_str_equal(name, "id")) {
            g_free(name);
            return value;
        }
        g_free(name);
        g_free(value);
    }
    return NULL;
}

bool qemu_opts_do_parse(QemuOpts *opts, const char *params,
                        const char *firstname, Error **errp)
{
    return opts_do_parse(opts, params, firstname, false, NULL, errp);
}

static QemuOpts *opts_parse(QemuOptsList *list, const char *params,
                            bool permit_abbrev, bool warn_on_flag,
                            bool *help_wanted, Error **errp)
{
    const char *firstname = permit_abbrev ? list->implied_opt_name : NULL;
    g_autofree char *id = opts_parse_id(params);
    QemuOpts *opts;

    opts = qemu_opts_create(list, id, !list->merge_lists, errp);
    if (!opts) {
        return NULL;
    }
    if (!opts_do_parse(opts, params, firstname, warn_on_flag, help_wanted,
                       errp)) {
        qemu_opts_del(opts);
        return NULL;
    }
    return opts;
}

QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp)
{
    return opts_parse(list, params, permit_abbrev, false, NULL, errp);
}

QemuOpts *qemu_opts_parse_noisily(QemuOptsList *list, const char *params,
                                  bool permit_abbrev)
{
    Error *err = NULL;
    bool help_wanted = false;
    QemuOpts *opts;

    /*
     * A list taking any option passes "help" on as an option (qemu-img
     * --image-opts hands it to the block driver), as QEMU does.
     */
    opts = opts_parse(list, params, permit_abbrev, true,
                      opts_accepts_any(list) ? NULL : &help_wanted, &err);
    if (!opts) {
        if (help_wanted) {
            qemu_opts_print_help(list, true);
            error_free(err);
        } else {
            error_report_err(err);
        }
    }
    return opts;
}

bool has_help_option(const char *param)
{
    const char *p = param;
    bool found = false;
    char *value;

    while (*p && !found) {
        p = get_opt_value(p, &value);
        if (*p) {
            p++;
        }
        found = is_help_option(value);
        g_free(value);
    }
    return found;
}

bool is_valid_option_list(const char *optarg)
{
    size_t len = strlen(optarg);
    size_t commas = 0;

    if (len == 0 || optarg[0] == ',') {
        return false;
    }
    while (commas < len && optarg[len - 1 - commas] == ',') {
        commas++;
    }
    /* an odd trailing comma would escape the joining one */
    return commas % 2 == 0;
}

/* ---- printing ---- */

/* Append @value with every ',' doubled so it parses back. */
static void append_escaped(GString *s, const char *value)
{
    for (; *value; value++) {
        if (*value == ',') {
            g_string_append_c(s, ',');
        }
        g_string_append_c(s, *value);
    }
}

/* Append one "name=value" of a list with a description table. */
static void append_described(GString *s, QemuOpts *opts,
                             const QemuOptDesc *desc, const char *sep)
{
    QemuOpt *opt = qemu_opt_find(opts, desc->name);
    const char *value = opt ? opt->str : desc->def_value_str;

    if (!value) {
        return;
    }
    g_string_append_printf(s, "%s%s=", s->len ? sep : "", desc->name);
    if (desc->type == QEMU_OPT_STRING) {
        append_escaped(s, value);
    } else if (opt && (desc->type == QEMU_OPT_SIZE ||
                       desc->type == QEMU_OPT_NUMBER)) {
        /* as parsed: "0x10" prints 16, a wrapped "-5" prints -5 */
        g_string_append_printf(s, "%" PRId64, (int64_t)opt->value.uint);
    } else {
        g_string_append(s, value);
    }
}

char *qemu_opts_to_str(QemuOpts *opts, const char *separator)
{
    GString *s = g_string_new(NULL);
    const QemuOptDesc *desc;
    QemuOpt *opt;

    if (opts->id) {
        g_string_append_printf(s, "id=%s", opts->id);
    }
    if (opts_accepts_any(opts->list)) {
        for (opt = opts->first; opt; opt = opt->next) {
            g_string_append_printf(s, "%s%s=", s->len ? separator : "",
                                   opt->name);
            append_escaped(s, opt->str);
        }
    } else {
        for (desc = opts->list->desc; desc->name; desc++) {
            append_described(s, opts, desc, separator);
        }
    }
    return g_string_free(s, false);
}

void qemu_opts_print(QemuOpts *opts, const char *separator)
{
    g_autofree char *s = qemu_opts_to_str(opts, separator);

    printf("%s", s);
}

/* ---- merging description tables ---- */

static size_t count_opts_list(const QemuOptsList *list)
{
    size_t n = 0;

    while (list && list->desc[n].name) {
        n++;
    }
    return n;
}

QemuOptsList *qemu_opts_append(QemuOptsList *dst, QemuOptsList *list)
{
    size_t n_dst = count_opts_list(dst);
    size_t n = n_dst;
    const QemuOptDesc *desc;
    QemuOpts *opts;
    QemuOpt *opt;

    if (!list) {
        return dst;
    }
    if (!dst) {
        dst = g_malloc0(sizeof(QemuOptsList) + sizeof(QemuOptDesc));
    }
    dst = g_realloc(dst, sizeof(QemuOptsList) +
                    (n_dst + count_opts_list(list) + 1) *
                    sizeof(QemuOptDesc));
    for (desc = list->desc; desc->name; desc++) {
        if (!find_desc_by_name(dst->desc, desc->name)) {
            dst->desc[n++] = *desc;
            dst->desc[n].name = NULL;
        }
    }
    dst->desc[n].name = NULL;
    /* Instances and their options point into the list, which moved. */
    for (opts = dst->head.first; opts; opts = opts->next) {
        opts->list = dst;
        for (opt = opts->first; opt; opt = opt->next) {
            opt->desc = find_desc_by_name(dst->desc, opt->name);
        }
    }
    return dst;
}

void qemu_opts_free(QemuOptsList *list)
{
    g_free(list);
}
