# SPDX-License-Identifier: GPL-2.0-or-later
"""Syntactic checks of parsed expressions.

Everything that can be decided by looking at one expression alone is
checked here: the meta-type key, allowed and required keys, the shape of
'data', names, conditions and features.  Checks that need the whole schema
(unknown types, member clashes, discriminators) live in schema.py."""

import re
from typing import Any, Dict, Iterable, List, Optional

from .parser import QAPIExpression, QAPISchemaPragma
from .source import QAPIError, QAPISourceInfo

METAS = ('enum', 'struct', 'union', 'alternate', 'command', 'event')

# Downstream extensions may prefix names with __RFQDN_.
VALID_NAME = re.compile(r'^(__[a-zA-Z0-9.-]+_)?[a-zA-Z][a-zA-Z0-9_-]*$')
VALID_VALUE = re.compile(r'^(__[a-zA-Z0-9.-]+_)?[a-zA-Z0-9][a-zA-Z0-9_.-]*$')


def check_keys(value: Dict[str, Any], info: QAPISourceInfo, source: str,
               required: Iterable[str], optional: Iterable[str]) -> None:
    """Reject missing required keys and any key not listed."""
    allowed = set(required) | set(optional)
    for key in required:
        if key not in value:
            raise QAPIError(info, "%s misses key '%s'" % (source, key))
    unknown = sorted(k for k in value if k not in allowed)
    if unknown:
        raise QAPIError(info, "%s has unknown key%s %s\nValid keys are %s."
                        % (source, 's' if len(unknown) > 1 else '',
                           ', '.join("'%s'" % k for k in unknown),
                           ', '.join("'%s'" % k for k in sorted(allowed))))


def check_flags(expr: Dict[str, Any], info: QAPISourceInfo,
                keys: Iterable[str]) -> None:
    for key in keys:
        if key in expr and expr[key] is not True:
            raise QAPIError(info, "flag '%s' may only use true value" % key)


def check_name_str(name: str, info: QAPISourceInfo, source: str,
                   permit_upper: bool = True,
                   enum_value: bool = False) -> str:
    """Check @name's characters; return it without the downstream prefix."""
    pattern = VALID_VALUE if enum_value else VALID_NAME
    if not pattern.match(name):
        raise QAPIError(info, "%s has an invalid name" % source)
    stem = re.sub(r'^__[a-zA-Z0-9.-]+_', '', name)
    if not permit_upper and stem.lower() != stem:
        raise QAPIError(info, "%s uses uppercase in name" % source)
    if stem.startswith('has_') or stem.startswith('has-'):
        raise QAPIError(info, "%s uses a name starting with 'has-' or "
                        "'has_', which clashes with the C has_ flags"
                        % source)
    return stem


def check_defn_name(name: Any, info: QAPISourceInfo, meta: str,
                    pragma: QAPISchemaPragma) -> None:
    source = "%s name" % meta
    if not isinstance(name, str):
        raise QAPIError(info, "%s must be a string" % source)
    if name.startswith('q_'):
        raise QAPIError(info, "%s '%s' uses the reserved prefix 'q_'"
                        % (source, name))
    stem = check_name_str(name, info, "%s '%s'" % (source, name))
    if meta == 'event':
        if stem.upper() != stem:
            raise QAPIError(info, "event name '%s' must be all upper case"
                            % name)
    elif meta == 'command':
        if stem.lower() != stem or ('_' in stem and name not in
                                    pragma.lists['command-name-exceptions']):
            raise QAPIError(info, "command name '%s' must be lower case "
                            "with '-' between words" % name)
    else:
        if stem[0].islower() or '-' in stem:
            raise QAPIError(info, "type name '%s' must be CamelCase"
                            % name)
        if stem.endswith('List'):
            raise QAPIError(info, "type name '%s' must not end with 'List'"
                            % name)


def check_if(expr: Dict[str, Any], info: QAPISourceInfo,
             source: str) -> None:
    if 'if' not in expr:
        return

    def check(cond: Any) -> None:
        if isinstance(cond, str):
            if not re.fullmatch(r'[A-Z][A-Z0-9_]*', cond):
                raise QAPIError(info, "'if' condition '%s' of %s is not a "
                                "valid macro name" % (cond, source))
            return
        if not isinstance(cond, dict):
            raise QAPIError(info, "'if' condition of %s must be a string "
                            "or an object" % source)
        if len(cond) != 1:
            raise QAPIError(info, "'if' condition of %s must have exactly "
                            "one key of 'all', 'any' or 'not'" % source)
        op, arg = next(iter(cond.items()))
        if op == 'not':
            check(arg)
        elif op in ('all', 'any'):
            if not isinstance(arg, list) or not arg:
                raise QAPIError(info, "'if' condition '%s' of %s must be a "
                                "non-empty list" % (op, source))
            for sub in arg:
                check(sub)
        else:
            raise QAPIError(info, "'if' condition of %s has unknown "
                            "operator '%s'" % (source, op))
    check(expr['if'])


def normalize_item(value: Any, key: str) -> Dict[str, Any]:
    """Turn the short form 'x' into {key: 'x'}."""
    if isinstance(value, dict):
        return value
    return {key: value}


def check_features(features: Any, info: QAPISourceInfo,
                   source: str) -> None:
    if not isinstance(features, list):
        raise QAPIError(info, "'features' of %s must be an array" % source)
    for feat in features:
        if not isinstance(feat, (str, dict)):
            raise QAPIError(info, "feature of %s must be a string or an "
                            "object" % source)
        feat = normalize_item(feat, 'name')
        what = "feature of %s" % source
        check_keys(feat, info, what, ['name'], ['if'])
        if not isinstance(feat['name'], str):
            raise QAPIError(info, "name of %s must be a string" % what)
        check_name_str(feat['name'], info, "feature '%s' of %s"
                       % (feat['name'], source))
        check_if(feat, info, what)


def check_type_name_ref(name: str, info: QAPISourceInfo,
                        source: str) -> None:
    """Names starting with 'q_' belong to the generator's implicit
    types (q_empty, q_obj_*-arg), which a schema may not name."""
    if name.startswith('q_'):
        raise QAPIError(info, "%s uses reserved type name '%s'"
                        % (source, name))


def check_type_ref(value: Any, info: QAPISourceInfo, source: str,
                   allow_array: bool = False, allow_dict: bool = False,
                   ) -> None:
    """A type reference: 'Name', ['Name'] where allowed, or members."""
    if isinstance(value, str):
        check_type_name_ref(value, info, source)
        return
    if isinstance(value, list):
        if not allow_array:
            raise QAPIError(info, "%s cannot be an array" % source)
        if len(value) != 1 or not isinstance(value[0], str):
            raise QAPIError(info, "%s: array type must contain a single "
                            "type name" % source)
        check_type_name_ref(value[0], info, source)
        return
    if isinstance(value, dict):
        if not allow_dict:
            raise QAPIError(info, "%s should be a type name" % source)
        return
    raise QAPIError(info, "%s should be a type name" % source)


def check_members(members: Any, info: QAPISourceInfo, source: str,
                  pragma: QAPISchemaPragma, owner: str) -> None:
    """Check a dict of members (struct data, command arguments, ...).

    @owner is the definition's name, which 'member-name-exceptions' may
    list to allow upper case and '_' in its member names."""
    if not isinstance(members, dict):
        raise QAPIError(info, "'data' of %s must be an object" % source)
    permit_upper = owner in pragma.lists['member-name-exceptions']
    for key, arg in members.items():
        what = "member '%s' of %s" % (key, source)
        name = key
        if key.startswith('*'):
            name = key[1:]
        check_name_str(name, info, what, permit_upper=permit_upper)
        arg = normalize_item(arg, 'type')
        check_keys(arg, info, what, ['type'], ['if', 'features'])
        check_if(arg, info, what)
        if 'features' in arg:
            check_features(arg['features'], info, what)
        check_type_ref(arg['type'], info, "type of %s" % what,
                       allow_array=True)


def check_enum(expr: Dict[str, Any], info: QAPISourceInfo,
               name: str) -> None:
    values = expr['data']
    if 'prefix' in expr and not isinstance(expr['prefix'], str):
        raise QAPIError(info, "'prefix' of enum '%s' must be a string"
                        % name)
    if not isinstance(values, list):
        raise QAPIError(info, "'data' of enum '%s' must be an array" % name)
    for value in values:
        value = normalize_item(value, 'name')
        what = "value of enum '%s'" % name
        check_keys(value, info, what, ['name'], ['if', 'features'])
        if not isinstance(value['name'], str):
            raise QAPIError(info, "%s must be a string" % what)
        check_name_str(value['name'], info, "value '%s' of enum '%s'"
                       % (value['name'], name), enum_value=True)
        check_if(value, info, what)
        if 'features' in value:
            check_features(value['features'], info, what)


def check_union(expr: Dict[str, Any], info: QAPISourceInfo, name: str,
                pragma: QAPISchemaPragma) -> None:
    source = "union '%s'" % name
    base = expr['base']
    check_type_ref(base, info, "'base' of %s" % source, allow_dict=True)
    if isinstance(base, dict):
        check_members(base, info, "base of %s" % source, pragma, name)
    if not isinstance(expr['discriminator'], str):
        raise QAPIError(info, "'discriminator' of %s must be a string"
                        % source)
    branches = expr['data']
    if not isinstance(branches, dict):
        raise QAPIError(info, "'data' of %s must be an object" % source)
    for key, arg in branches.items():
        what = "branch '%s' of %s" % (key, source)
        check_name_str(key, info, what, enum_value=True)
        arg = normalize_item(arg, 'type')
        check_keys(arg, info, what, ['type'], ['if'])
        check_if(arg, info, what)
        check_type_ref(arg['type'], info, "type of %s" % what)


def check_alternate(expr: Dict[str, Any], info: QAPISourceInfo,
                    name: str) -> None:
    source = "alternate '%s'" % name
    branches = expr['data']
    if not isinstance(branches, dict) or not branches:
        raise QAPIError(info, "'data' of %s must be a non-empty object"
                        % source)
    for key, arg in branches.items():
        what = "branch '%s' of %s" % (key, source)
        if key.startswith('*'):
            raise QAPIError(info, "%s cannot be optional" % what)
        check_name_str(key, info, what, permit_upper=False)
        arg = normalize_item(arg, 'type')
        check_keys(arg, info, what, ['type'], ['if'])
        check_if(arg, info, what)
        check_type_ref(arg['type'], info, "type of %s" % what)


def check_command(expr: Dict[str, Any], info: QAPISourceInfo, name: str,
                  pragma: QAPISchemaPragma) -> None:
    source = "command '%s'" % name
    check_flags(expr, info, ['boxed', 'allow-oob', 'allow-preconfig',
                             'coroutine'])
    if 'gen' in expr and expr['gen'] is not False:
        raise QAPIError(info, "flag 'gen' may only use false value")
    if 'success-response' in expr and expr['success-response'] is not False:
        raise QAPIError(info, "flag 'success-response' may only use false "
                        "value")
    check_args(expr, info, source, pragma, name)
    if 'returns' in expr:
        check_type_ref(expr['returns'], info, "'returns' of %s" % source,
                       allow_array=True)


def check_args(expr: Dict[str, Any], info: QAPISourceInfo, source: str,
               pragma: QAPISchemaPragma, owner: str) -> None:
    """'data' of commands and events: members, or a type name if boxed."""
    if 'data' not in expr:
        if expr.get('boxed'):
            raise QAPIError(info, "'boxed': true requires 'data'")
        return
    data = expr['data']
    if expr.get('boxed'):
        if not isinstance(data, str):
            raise QAPIError(info, "'data' of %s must be a type name when "
                            "'boxed': true" % source)
        return
    check_type_ref(data, info, "'data' of %s" % source, allow_dict=True)
    if isinstance(data, dict):
        check_members(data, info, source, pragma, owner)


KEYS: Dict[str, List[List[str]]] = {
    'enum': [['enum', 'data'], ['if', 'features', 'prefix']],
    'struct': [['struct', 'data'], ['base', 'if', 'features']],
    'union': [['union', 'base', 'discriminator', 'data'],
              ['if', 'features']],
    'alternate': [['alternate', 'data'], ['if', 'features']],
    'command': [['command'], ['data', 'returns', 'boxed', 'if', 'features',
                              'gen', 'success-response', 'allow-oob',
                              'allow-preconfig', 'coroutine']],
    'event': [['event'], ['data', 'boxed', 'if', 'features']],
}


def check_expr(pexpr: QAPIExpression, pragma: QAPISchemaPragma) -> None:
    expr = pexpr.expr
    info = pexpr.info
    if 'include' in expr:
        return
    metas = [m for m in METAS if m in expr]
    if len(metas) != 1:
        raise QAPIError(info, "expression must have exactly one key of %s"
                        % ', '.join("'%s'" % m for m in METAS))
    meta = metas[0]
    name = expr[meta]
    check_defn_name(name, info, meta, pragma)
    info.set_defn(meta, name)
    required, optional = KEYS[meta]
    check_keys(expr, info, meta, required, optional)
    check_if(expr, info, meta)
    if 'features' in expr:
        check_features(expr['features'], info, "%s '%s'" % (meta, name))
    if meta == 'enum':
        check_enum(expr, info, name)
    elif meta == 'struct':
        check_members(expr['data'], info, "struct '%s'" % name, pragma,
                      name)
        if 'base' in expr:
            check_type_ref(expr['base'], info, "'base' of struct '%s'"
                           % name)
    elif meta == 'union':
        check_union(expr, info, name, pragma)
    elif meta == 'alternate':
        check_alternate(expr, info, name)
    elif meta == 'command':
        check_command(expr, info, name, pragma)
    else:
        check_args(expr, info, "event '%s'" % name, pragma, name)


def check_exprs(exprs: List[QAPIExpression],
                pragma: Optional[QAPISchemaPragma] = None) -> None:
    """Check every expression; raise QAPIError on the first problem."""
    pragma = pragma or QAPISchemaPragma()
    for pexpr in exprs:
        check_expr(pexpr, pragma)
