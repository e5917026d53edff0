/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * QemuOpts: "name=value,..." option lists as the command line and the
 * tools take them (-drive, qemu-img -o), checked against a table of
 * option descriptions, plus conversions to and from QDict.
 */
#ifndef QEMU_OPTION_H
#define QEMU_OPTION_H

#include "qapi/error.h"
#include "qobject/qdict.h"
#include "qemu/keyval.h"

typedef enum QemuOptType {
    QEMU_OPT_STRING = 0,    /* no parsing (use string as-is) */
    QEMU_OPT_BOOL,          /* on/off (also yes/no, true/false, y/n) */
    QEMU_OPT_NUMBER,        /* simple number, any base strtoull accepts */
    QEMU_OPT_SIZE,          /* size with optional k/M/G/T/P/E suffix */
} QemuOptType;

/* One accepted option: name, type, help line and default value. */
typedef struct QemuOptDesc {
    const char *name;
    QemuOptType type;
    const char *help;
    const char *def_value_str;
} QemuOptDesc;

typedef struct QemuOpt QemuOpt;
typedef struct QemuOpts QemuOpts;

/*
 * A family of option sets (all -drive options, say).  Define it
 * statically with a desc[] table ending in an empty entry; an empty
 * table accepts any option as a string.  The instance list starts
 * empty when zero-initialised.
 *
 * implied_opt_name: name given to a leading value without "name="
 *   when parsing with permit_abbrev ("-drive file.img").
 * merge_lists: all parses go into one unnamed QemuOpts (-machine).
 */
typedef struct QemuOptsList {
    const char *name;
    const char *implied_opt_name;
    bool merge_lists;
    struct {
        QemuOpts *first;
        QemuOpts *last;
    } head;                     /* private: the instances, in order */
    QemuOptDesc desc[];
} QemuOptsList;

/**
 * qemu_opt_get:
 * Return the value of the last option @name in @opts, else its default
 * from the description table, else NULL.  @opts may be NULL.
 */
const char *qemu_opt_get(QemuOpts *opts, const char *name);

/**
 * qemu_opt_get_del:
 * Like qemu_opt_get() but return a copy the caller frees and remove every
 * option @name from @opts.
 */
char *qemu_opt_get_del(QemuOpts *opts, const char *name);

/**
 * qemu_opt_has_help_opt:
 * Return true if @opts holds an option named "help" or "?".
 */
bool qemu_opt_has_help_opt(QemuOpts *opts);

/**
 * qemu_opt_get_bool:
 * Return the boolean value of option @name, its table default, or
 * @defval when neither exists (or the value cannot be read as a bool).
 */
bool qemu_opt_get_bool(QemuOpts *opts, const char *name, bool defval);

/** qemu_opt_get_number: like qemu_opt_get_bool() for QEMU_OPT_NUMBER. */
uint64_t qemu_opt_get_number(QemuOpts *opts, const char *name,
                             uint64_t defval);

/** qemu_opt_get_size: like qemu_opt_get_bool() for QEMU_OPT_SIZE. */
uint64_t qemu_opt_get_size(QemuOpts *opts, const char *name,
                           uint64_t defval);

/** qemu_opt_get_bool_del: qemu_opt_get_bool(), then remove @name. */
bool qemu_opt_get_bool_del(QemuOpts *opts, const char *name, bool defval);

/** qemu_opt_get_number_del: qemu_opt_get_number(), then remove @name. */
uint64_t qemu_opt_get_number_del(QemuOpts *opts, const char *name,
                                 uint64_t defval);

/** qemu_opt_get_size_del: qemu_opt_get_size(), then remove @name. */
uint64_t qemu_opt_get_size_del(QemuOpts *opts, const char *name,
                               uint64_t defval);

/**
 * qemu_opt_unset:
 * Remove the last option @name; return 0, or -1 if there was none.
 */
int qemu_opt_unset(QemuOpts *opts, const char *name);

/**
 * qemu_opt_set:
 * Add option @name=@value to @opts, checked against the description
 * table ("Invalid parameter 'NAME'", "Parameter 'NAME' expects ...").
 * A later value of the same name wins on lookup.
 */
bool qemu_opt_set(QemuOpts *opts, const char *name, const char *value,
                  Error **errp);

/** qemu_opt_set_bool: add @name as "on" or "off"; see qemu_opt_set(). */
bool qemu_opt_set_bool(QemuOpts *opts, const char *name, bool val,
                       Error **errp);

/** qemu_opt_set_number: add @name as a decimal number. */
bool qemu_opt_set_number(QemuOpts *opts, const char *name, int64_t val,
                         Error **errp);

typedef int (*qemu_opt_loopfunc)(void *opaque, const char *name,
                                 const char *value, Error **errp);

/**
 * qemu_opt_foreach:
 * Call @func on each option of @opts in the order they were added; stop
 * at and return the first non-zero result.  Returns 0 otherwise.
 */
int qemu_opt_foreach(QemuOpts *opts, qemu_opt_loopfunc func, void *opaque,
                     Error **errp);

/* Cursor over the occurrences of one option name, oldest first. */
typedef struct QemuOptsIter {
    QemuOpt *opt;
    const char *name;
} QemuOptsIter;

/**
 * qemu_opt_iter_init:
 * Start @iter at the first option of @opts named @name (every option if
 * @name is NULL).
 */
void qemu_opt_iter_init(QemuOptsIter *iter, QemuOpts *opts,
                        const char *name);

/**
 * qemu_opt_iter_next:
 * Return the value of the option @iter is at and advance, or NULL when
 * there are no more.
 */
const char *qemu_opt_iter_next(QemuOptsIter *iter);

/**
 * qemu_opts_find:
 * Return the instance of @list whose id is @id (NULL finds the one
 * without id), or NULL.
 */
QemuOpts *qemu_opts_find(QemuOptsList *list, const char *id);

/**
 * qemu_opts_create:
 * Add an empty instance with @id (may be NULL) to @list.  An id must be
 * well formed ("Parameter 'id' expects an identifier"); an existing id
 * fails ("Duplicate ID 'ID' for LIST") if @fail_if_exists, else that
 * instance is returned.  For a merge_lists list, no id is accepted and
 * the single instance is returned once it exists.
 */
QemuOpts *qemu_opts_create(QemuOptsList *list, const char *id,
                           int fail_if_exists, Error **errp);

/** qemu_opts_reset: delete every instance of @list. */
void qemu_opts_reset(QemuOptsList *list);

/** qemu_opts_id: return the id of @opts, or NULL. */
const char *qemu_opts_id(QemuOpts *opts);

/** qemu_opts_set_id: give @opts the id @id, taking ownership of it. */
void qemu_opts_set_id(QemuOpts *opts, char *id);

/** qemu_opts_del: remove @opts from its list and free it; NULL is ok. */
void qemu_opts_del(QemuOpts *opts);

/**
 * qemu_opts_validate:
 * Check every option of @opts (from a list without description table)
 * against @desc and parse its value.
 */
bool qemu_opts_validate(QemuOpts *opts, const QemuOptDesc *desc,
                        Error **errp);

/**
 * qemu_opts_do_parse:
 * Parse "name=value,..." into the existing @opts.  ",," stands for a
 * literal comma inside a value; "flag" means flag=on and "noflag"
 * flag=off; a first item without '=' is the value of @firstname when
 * that is not NULL.  "id=..." items are skipped.
 */
bool qemu_opts_do_parse(QemuOpts *opts, const char *params,
                        const char *firstname, Error **errp);

/**
 * qemu_opts_parse:
 * Create an instance of @list (with the id given by an "id=" item) and
 * parse @params into it, as qemu_opts_do_parse() with the list's
 * implied_opt_name when @permit_abbrev.  On error nothing is added.
 */
QemuOpts *qemu_opts_parse(QemuOptsList *list, const char *params,
                          bool permit_abbrev, Error **errp);

/**
 * qemu_opts_parse_noisily:
 * Like qemu_opts_parse() for the command line: errors are reported,
 * "help" or "?" prints the list's help and returns NULL (unless the list
 * accepts any option: then it is an ordinary flag), and short-form
 * flags ("readonly") draw a deprecation warning.
 */
QemuOpts *qemu_opts_parse_noisily(QemuOptsList *list, const char *params,
                                  bool permit_abbrev);

/**
 * qemu_opts_from_qdict:
 * Create an instance of @list from the scalar members of @qdict (strings
 * as they are, numbers in decimal, booleans as on/off; the "id" member
 * becomes the id; other types are ignored).
 */
QemuOpts *qemu_opts_from_qdict(QemuOptsList *list, const QDict *qdict,
                               Error **errp);

/**
 * qemu_opts_to_qdict_filtered:
 * Store the id and every option of @opts as strings into @qdict (a new
 * one if NULL) and return it.  With @list, only options described in
 * @list are copied; with @del, copied options are removed from @opts.
 */
QDict *qemu_opts_to_qdict_filtered(QemuOpts *opts, QDict *qdict,
                                   QemuOptsList *list, bool del);

/** qemu_opts_to_qdict: qemu_opts_to_qdict_filtered() without filter. */
QDict *qemu_opts_to_qdict(QemuOpts *opts, QDict *qdict);

/**
 * qemu_opts_absorb_qdict:
 * Move the members of @qdict that @opts accepts into @opts (as
 * qemu_opts_from_qdict() converts them) and delete them from @qdict.
 * Members the description table does not know stay in @qdict.
 */
bool qemu_opts_absorb_qdict(QemuOpts *opts, QDict *qdict, Error **errp);

typedef int (*qemu_opts_loopfunc)(void *opaque, QemuOpts *opts,
                                  Error **errp);

/**
 * qemu_opts_foreach:
 * Call @func on each instance of @list in order (it may delete the
 * instance it is given); stop at and return the first non-zero result.
 */
int qemu_opts_foreach(QemuOptsList *list, qemu_opts_loopfunc func,
                      void *opaque, Error **errp);

/**
 * qemu_opts_to_str:
 * Return the options of @opts as qemu-img prints them after "Formatting
 * ...": in table order, with defaults, commas in strings doubled,
 * numbers in decimal, joined by @separator.  The caller frees it.
 */
char *qemu_opts_to_str(QemuOpts *opts, const char *separator);

/** qemu_opts_print: print qemu_opts_to_str() on stdout. */
void qemu_opts_print(QemuOpts *opts, const char *separator);

/**
 * qemu_opts_help_str:
 * Return the help listing of @list, one sorted line per option, e.g.
 * "  size=<size>            - Virtual disk size"; with @print_caption a
 * "NAME options:" heading first.  The caller frees it.
 */
char *qemu_opts_help_str(QemuOptsList *list, bool print_caption);

/** qemu_opts_print_help: print qemu_opts_help_str() on stdout. */
void qemu_opts_print_help(QemuOptsList *list, bool print_caption);

/**
 * qemu_opts_append:
 * Return @dst (a heap list or NULL) grown by the descriptions of @list
 * whose names it lacks; used to merge format and protocol create
 * options.  Free the result with qemu_opts_free().
 */
QemuOptsList *qemu_opts_append(QemuOptsList *dst, QemuOptsList *list);

/** qemu_opts_free: free a list made by qemu_opts_append(); NULL is ok. */
void qemu_opts_free(QemuOptsList *list);

/** is_help_option: return true for "help" and "?". */
bool is_help_option(const char *s);

/**
 * has_help_option:
 * Return true if any item of the option string @param is "help" or "?".
 */
bool has_help_option(const char *param);

/**
 * is_valid_option_list:
 * Return true if @optarg can be joined to other option strings with ','
 * without escaping problems: not empty, not starting with ',' and not
 * ending in an odd number of commas.
 */
bool is_valid_option_list(const char *optarg);

#endif
