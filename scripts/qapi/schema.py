# SPDX-License-Identifier: GPL-2.0-or-later
"""The typed model of a schema.

QAPISchema parses and checks a schema file, then builds one entity object
per definition (plus builtins, array types and implicit argument types),
resolves every type reference and runs the checks that need the whole
schema.  Backends walk the result with a QAPISchemaVisitor."""

import os
from typing import Any, Dict, List, Optional, Tuple

from .common import c_enum_const, c_name
from .expr import check_exprs
from .parser import QAPISchemaParser
from .source import QAPIError, QAPISourceInfo

BUILTIN_MODULE = './builtin'
SPECIAL_FEATURES = ('deprecated', 'unstable')


class QAPISchemaIfCond:
    """An 'if' condition, as C preprocessor text."""

    def __init__(self, cond: Any = None) -> None:
        self.cond = cond

    def cgen(self) -> str:
        def gen(cond: Any) -> str:
            if isinstance(cond, str):
                return 'defined(%s)' % cond
            op, arg = next(iter(cond.items()))
            if op == 'not':
                return '!' + gen(arg)
            if len(arg) == 1:
                return gen(arg[0])
            sep = ' && ' if op == 'all' else ' || '
            return '(' + sep.join(gen(a) for a in arg) + ')'
        return gen(self.cond) if self.cond else ''

    def describe(self) -> str:
        """A compact text for test dumps."""
        return self.cgen()

    def is_present(self) -> bool:
        return bool(self.cond)


def gen_if(cond: QAPISchemaIfCond, text: str) -> str:
    """Wrap @text in #if/#endif when @cond is not empty."""
    if not cond.is_present() or not text:
        return text
    return '#if %s\n%s#endif /* %s */\n' % (cond.cgen(), text, cond.cgen())


class QAPISchemaEntity:
    meta = ''

    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 ifcond: Optional[QAPISchemaIfCond] = None,
                 features: Optional[List['QAPISchemaFeature']] = None
                 ) -> None:
        self.name = name
        self.info = info
        self.ifcond = ifcond or QAPISchemaIfCond()
        self.features = features or []
        self.module: Optional[str] = None
        self._checked = False

    def c_name(self) -> str:
        return c_name(self.name)

    def check(self, schema: 'QAPISchema') -> None:
        self._checked = True
        seen: Dict[str, QAPISchemaFeature] = {}
        for feat in self.features:
            if feat.name in seen:
                raise QAPIError(self.info, "duplicate feature '%s'"
                                % feat.name)
            seen[feat.name] = feat

    def is_implicit(self) -> bool:
        return self.info is None or self.name.startswith('q_')

    def special_features(self) -> List[str]:
        return [f.name for f in self.features if f.is_special()]

    def describe(self) -> str:
        return "%s '%s'" % (self.meta, self.name)

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        pass


class QAPISchemaFeature:
    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 ifcond: Optional[QAPISchemaIfCond] = None) -> None:
        self.name = name
        self.info = info
        self.ifcond = ifcond or QAPISchemaIfCond()

    def is_special(self) -> bool:
        return self.name in SPECIAL_FEATURES


def special_features_c(names: List[str]) -> str:
    """C expression of QapiSpecialFeature bits for @names ('0' if none)."""
    bits = ['1u << QAPI_%s' % n.upper() for n in names]
    return ' | '.join(bits) if bits else '0'


# --- types ------------------------------------------------------------------

class QAPISchemaType(QAPISchemaEntity):
    def c_type(self) -> str:
        raise NotImplementedError

    def c_param_type(self) -> str:
        return self.c_type()

    def c_unboxed_type(self) -> str:
        return self.c_name()

    def json_type(self) -> str:
        raise NotImplementedError

    def alternate_qtype(self) -> Optional[str]:
        return {'string': 'QTYPE_QSTRING', 'number': 'QTYPE_QNUM',
                'int': 'QTYPE_QNUM', 'boolean': 'QTYPE_QBOOL',
                'null': 'QTYPE_QNULL', 'object': 'QTYPE_QDICT',
                'array': 'QTYPE_QLIST'}.get(self.json_type())


class QAPISchemaBuiltinType(QAPISchemaType):
    meta = 'built-in'

    def __init__(self, name: str, json_type: str, c_type: str) -> None:
        super().__init__(name, None)
        self._json_type = json_type
        self._c_type = c_type

    def c_name(self) -> str:
        return self.name

    def c_type(self) -> str:
        return self._c_type

    def c_param_type(self) -> str:
        return 'const char *' if self.name == 'str' else self._c_type

    def json_type(self) -> str:
        return self._json_type

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_builtin_type(self.name, self.info, self.json_type())


class QAPISchemaMember:
    """An enum value, object member or union/alternate branch."""
    role = 'member'

    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 ifcond: Optional[QAPISchemaIfCond] = None,
                 features: Optional[List[QAPISchemaFeature]] = None
                 ) -> None:
        self.name = name
        self.info = info
        self.ifcond = ifcond or QAPISchemaIfCond()
        self.features = features or []
        self.defined_in = ''

    def describe(self) -> str:
        return "%s '%s' of %s" % (self.role, self.name, self.defined_in)

    def check_clash(self, seen: Dict[str, 'QAPISchemaMember']) -> None:
        cname = c_name(self.name)
        if cname in seen:
            other = seen[cname]
            raise QAPIError(self.info, "%s collides with %s"
                            % (self.describe(), other.describe()))
        seen[cname] = self

    def special_features(self) -> List[str]:
        return [f.name for f in self.features if f.is_special()]


class QAPISchemaEnumMember(QAPISchemaMember):
    role = 'value'


class QAPISchemaEnumType(QAPISchemaType):
    meta = 'enum'

    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 ifcond: Optional[QAPISchemaIfCond],
                 features: List[QAPISchemaFeature],
                 members: List[QAPISchemaEnumMember],
                 prefix: Optional[str]) -> None:
        super().__init__(name, info, ifcond, features)
        for m in members:
            m.defined_in = "enum '%s'" % name
        self.members = members
        self.prefix = prefix

    def check(self, schema: 'QAPISchema') -> None:
        super().check(schema)
        seen: Dict[str, QAPISchemaMember] = {}
        for m in self.members:
            m.check_clash(seen)

    def member_names(self) -> List[str]:
        return [m.name for m in self.members]

    def c_type(self) -> str:
        return c_name(self.name)

    def c_const(self, value: str) -> str:
        return c_enum_const(self.name, value, self.prefix or '')

    def json_type(self) -> str:
        return 'string'

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_enum_type(self.name, self.info, self.ifcond,
                                self.features, self.members, self.prefix)


class QAPISchemaArrayType(QAPISchemaType):
    meta = 'array'

    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 element_type: str) -> None:
        super().__init__(name, info)
        self._element_type_name = element_type
        self.element_type: QAPISchemaType

    def check(self, schema: 'QAPISchema') -> None:
        super().check(schema)
        self.element_type = schema.resolve_type(
            self._element_type_name, self.info,
            "array of '%s'" % self._element_type_name)
        self.ifcond = self.element_type.ifcond
        self.module = self.element_type.module
        if self.element_type.is_implicit() and self.element_type.info:
            raise QAPIError(self.info, "array of implicit type")

    def is_implicit(self) -> bool:
        return True

    def c_type(self) -> str:
        return c_name(self.name) + ' *'

    def json_type(self) -> str:
        return 'array'

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_array_type(self.name, self.info, self.ifcond,
                                 self.element_type)


class QAPISchemaObjectTypeMember(QAPISchemaMember):
    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 typ: str, optional: bool,
                 ifcond: Optional[QAPISchemaIfCond] = None,
                 features: Optional[List[QAPISchemaFeature]] = None
                 ) -> None:
        super().__init__(name, info, ifcond, features)
        self._type_name = typ
        self.type: QAPISchemaType
        self.optional = optional

    def check(self, schema: 'QAPISchema') -> None:
        self.type = schema.resolve_type(self._type_name, self.info,
                                        self.describe())
        seen: Dict[str, QAPISchemaFeature] = {}
        for feat in self.features:
            if feat.name in seen:
                raise QAPIError(self.info, "duplicate feature '%s' of %s"
                                % (feat.name, self.describe()))
            seen[feat.name] = feat


class QAPISchemaVariant(QAPISchemaObjectTypeMember):
    role = 'branch'

    def __init__(self, name: str, info: Optional[QAPISourceInfo], typ: str,
                 ifcond: Optional[QAPISchemaIfCond] = None) -> None:
        super().__init__(name, info, typ, False, ifcond)


class QAPISchemaVariants:
    """The branches of a union (tag_name set) or alternate (tag 'type')."""

    def __init__(self, tag_name: Optional[str], info: QAPISourceInfo,
                 variants: List[QAPISchemaVariant]) -> None:
        self.tag_name = tag_name
        self.info = info
        self.variants = variants
        self.tag_member: Optional[QAPISchemaObjectTypeMember] = None

    def check_union(self, schema: 'QAPISchema', owner: 'QAPISchemaObjectType',
                    seen: Dict[str, QAPISchemaMember]) -> None:
        assert self.tag_name is not None
        base = owner.base
        tag = seen.get(c_name(self.tag_name))
        if tag is None or tag.name != self.tag_name \
                or not isinstance(tag, QAPISchemaObjectTypeMember):
            raise QAPIError(self.info, "discriminator '%s' is not a member "
                            "of base type '%s'"
                            % (self.tag_name, base.name if base else '?'))
        if not isinstance(tag.type, QAPISchemaEnumType):
            raise QAPIError(self.info, "discriminator member '%s' of base "
                            "type '%s' must be of enum type"
                            % (self.tag_name, base.name if base else '?'))
        if tag.optional:
            raise QAPIError(self.info, "discriminator member '%s' of base "
                            "type '%s' must not be optional"
                            % (self.tag_name, base.name if base else '?'))
        self.tag_member = tag
        values = tag.type.member_names()
        for v in self.variants:
            v.check(schema)
            if v.name not in values:
                raise QAPIError(self.info, "branch '%s' is not a value of "
                                "%s" % (v.name, tag.type.describe()))
            if not isinstance(v.type, QAPISchemaObjectType) or \
                    v.type.variants:
                raise QAPIError(self.info, "%s cannot use %s"
                                % (v.describe(), v.type.describe()))
            v.type.check(schema)
            branch_seen = dict(seen)
            for m in v.type.members:
                m.check_clash(branch_seen)

    def check_alternate(self, schema: 'QAPISchema') -> None:
        types: Dict[str, QAPISchemaVariant] = {}
        for v in self.variants:
            v.check(schema)
            qtype = v.type.alternate_qtype()
            if qtype is None or isinstance(v.type, QAPISchemaArrayType):
                raise QAPIError(self.info, "%s cannot use %s"
                                % (v.describe(), v.type.describe()))
            if qtype in types:
                raise QAPIError(self.info, "%s can't be distinguished from "
                                "%s" % (v.describe(),
                                        types[qtype].describe()))
            types[qtype] = v


class QAPISchemaObjectType(QAPISchemaType):
    meta = 'struct'

    def __init__(self, name: str, info: Optional[QAPISourceInfo],
                 ifcond: Optional[QAPISchemaIfCond],
                 features: List[QAPISchemaFeature], base: Optional[str],
                 local_members: List[QAPISchemaObjectTypeMember],
                 variants: Optional[QAPISchemaVariants]) -> None:
        super().__init__(name, info, ifcond, features)
        if variants:
            self.meta = 'union'
        self._base_name = base
        self.base: Optional[QAPISchemaObjectType] = None
        self.local_members = local_members
        for m in local_members:
            m.defined_in = self.describe() if not self.is_implicit() \
                else self._implicit_owner()
        if variants:
            for v in variants.variants:
                v.defined_in = self.describe()
        self.variants = variants
        self.members: List[QAPISchemaObjectTypeMember] = []
        self._checking = False
        self._done = False

    def _implicit_owner(self) -> str:
        # q_obj_NAME-arg / q_obj_NAME-base
        inner = self.name[len('q_obj_'):]
        owner, _, kind = inner.rpartition('-')
        if kind == 'base':
            return "base of union '%s'" % owner
        return "arguments of '%s'" % owner

    def check(self, schema: 'QAPISchema') -> None:
        if self._done:
            return
        if self._checking:
            raise QAPIError(self.info, "object '%s' contains itself"
                            % self.name)
        self._checking = True
        super().check(schema)
        seen: Dict[str, QAPISchemaMember] = {}
        members: List[QAPISchemaObjectTypeMember] = []
        if self._base_name:
            base = schema.resolve_type(self._base_name, self.info,
                                       "'base' of %s" % self.describe())
            if not isinstance(base, QAPISchemaObjectType) or base.variants:
                raise QAPIError(self.info, "'base' of %s must be a struct "
                                "type, not %s" % (self.describe(),
                                                  base.describe()))
            self.base = base
            base.check(schema)
            for m in base.members:
                m.check_clash(seen)
            members = list(base.members)
        for m in self.local_members:
            m.check(schema)
            m.check_clash(seen)
            members.append(m)
        self.members = members
        if self.variants:
            self.variants.check_union(schema, self, seen)
        self._checking = False
        self._done = True

    def is_empty(self) -> bool:
        return not self.members and not self.variants

    def c_name(self) -> str:
        return c_name(self.name)

    def c_type(self) -> str:
        return c_name(self.name) + ' *'

    def json_type(self) -> str:
        return 'object'

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_object_type(self.name, self.info, self.ifcond,
                                  self.features, self.base,
                                  self.local_members, self.variants)
        visitor.visit_object_type_flat(self.name, self.info, self.ifcond,
                                       self.features, self.members,
                                       self.variants)


class QAPISchemaAlternateType(QAPISchemaType):
    meta = 'alternate'

    def __init__(self, name: str, info: QAPISourceInfo,
                 ifcond: Optional[QAPISchemaIfCond],
                 features: List[QAPISchemaFeature],
                 variants: QAPISchemaVariants) -> None:
        super().__init__(name, info, ifcond, features)
        for v in variants.variants:
            v.defined_in = self.describe()
        self.variants = variants

    def check(self, schema: 'QAPISchema') -> None:
        super().check(schema)
        self.variants.check_alternate(schema)

    def c_type(self) -> str:
        return c_name(self.name) + ' *'

    def json_type(self) -> str:
        return 'value'

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_alternate_type(self.name, self.info, self.ifcond,
                                     self.features, self.variants)


# --- commands and events ----------------------------------------------------

class QAPISchemaCommand(QAPISchemaEntity):
    meta = 'command'

    def __init__(self, name: str, info: QAPISourceInfo,
                 ifcond: QAPISchemaIfCond,
                 features: List[QAPISchemaFeature], arg_type: Optional[str],
                 ret_type: Optional[str], flags: Dict[str, bool]) -> None:
        super().__init__(name, info, ifcond, features)
        self._arg_type_name = arg_type
        self._ret_type_name = ret_type
        self.arg_type: Optional[QAPISchemaObjectType] = None
        self.ret_type: Optional[QAPISchemaType] = None
        self.gen = flags.get('gen', True)
        self.success_response = flags.get('success-response', True)
        self.boxed = flags.get('boxed', False)
        self.allow_oob = flags.get('allow-oob', False)
        self.allow_preconfig = flags.get('allow-preconfig', False)
        self.coroutine = flags.get('coroutine', False)

    def check(self, schema: 'QAPISchema') -> None:
        super().check(schema)
        if self._arg_type_name:
            self.arg_type = check_arg_type(schema, self, self._arg_type_name,
                                           self.boxed)
        if self._ret_type_name:
            ret = schema.resolve_type(self._ret_type_name, self.info,
                                      "'returns' of %s" % self.describe())
            self.ret_type = ret
            elt = ret.element_type if isinstance(ret, QAPISchemaArrayType) \
                else ret
            exceptions = schema.pragma.lists['command-returns-exceptions']
            if not isinstance(elt, QAPISchemaObjectType) and \
                    self.name not in exceptions:
                raise QAPIError(self.info, "%s cannot return %s"
                                % (self.describe(), ret.describe()))

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_command(self)


class QAPISchemaEvent(QAPISchemaEntity):
    meta = 'event'

    def __init__(self, name: str, info: QAPISourceInfo,
                 ifcond: QAPISchemaIfCond,
                 features: List[QAPISchemaFeature], arg_type: Optional[str],
                 boxed: bool) -> None:
        super().__init__(name, info, ifcond, features)
        self._arg_type_name = arg_type
        self.arg_type: Optional[QAPISchemaObjectType] = None
        self.boxed = boxed

    def check(self, schema: 'QAPISchema') -> None:
        super().check(schema)
        if self._arg_type_name:
            self.arg_type = check_arg_type(schema, self, self._arg_type_name,
                                           self.boxed)

    def visit(self, visitor: 'QAPISchemaVisitor') -> None:
        visitor.visit_event(self)


def check_arg_type(schema: 'QAPISchema', owner: QAPISchemaEntity,
                   name: str, boxed: bool) -> QAPISchemaObjectType:
    typ = schema.resolve_type(name, owner.info,
                              "'data' of %s" % owner.describe())
    if not isinstance(typ, QAPISchemaObjectType):
        raise QAPIError(owner.info, "'data' of %s cannot use %s"
                        % (owner.describe(), typ.describe()))
    if typ.variants and not boxed:
        raise QAPIError(owner.info, "'data' of %s cannot use %s unless "
                        "'boxed': true" % (owner.describe(), typ.describe()))
    typ.check(schema)
    if not boxed:
        # Each member becomes a C parameter, and a parameter list cannot
        # hold #if; conditional arguments need 'boxed': true.
        for m in typ.members:
            if m.ifcond.is_present():
                raise QAPIError(owner.info, "%s has conditional argument "
                                "'%s'; use 'boxed': true"
                                % (owner.describe(), m.name))
    return typ


# --- the visitor and the schema ---------------------------------------------

class QAPISchemaVisitor:
    """Base class of the backends; each method does nothing by default."""

    def visit_begin(self, schema: 'QAPISchema') -> None:
        pass

    def visit_end(self) -> None:
        pass

    def visit_module(self, name: str) -> None:
        pass

    def visit_needed(self, entity: QAPISchemaEntity) -> bool:
        return True

    def visit_include(self, name: str, info: QAPISourceInfo) -> None:
        pass

    def visit_builtin_type(self, name: str, info: Optional[QAPISourceInfo],
                           json_type: str) -> None:
        pass

    def visit_enum_type(self, name: str, info: Optional[QAPISourceInfo],
                        ifcond: QAPISchemaIfCond,
                        features: List[QAPISchemaFeature],
                        members: List[QAPISchemaEnumMember],
                        prefix: Optional[str]) -> None:
        pass

    def visit_array_type(self, name: str, info: Optional[QAPISourceInfo],
                         ifcond: QAPISchemaIfCond,
                         element_type: QAPISchemaType) -> None:
        pass

    def visit_object_type(self, name: str, info: Optional[QAPISourceInfo],
                          ifcond: QAPISchemaIfCond,
                          features: List[QAPISchemaFeature],
                          base: Optional[QAPISchemaObjectType],
                          members: List[QAPISchemaObjectTypeMember],
                          variants: Optional[QAPISchemaVariants]) -> None:
        pass

    def visit_object_type_flat(self, name: str,
                               info: Optional[QAPISourceInfo],
                               ifcond: QAPISchemaIfCond,
                               features: List[QAPISchemaFeature],
                               members: List[QAPISchemaObjectTypeMember],
                               variants: Optional[QAPISchemaVariants]
                               ) -> None:
        pass

    def visit_alternate_type(self, name: str,
                             info: Optional[QAPISourceInfo],
                             ifcond: QAPISchemaIfCond,
                             features: List[QAPISchemaFeature],
                             variants: QAPISchemaVariants) -> None:
        pass

    def visit_command(self, cmd: QAPISchemaCommand) -> None:
        pass

    def visit_event(self, event: QAPISchemaEvent) -> None:
        pass


BUILTINS: List[Tuple[str, str, str]] = [
    ('str', 'string', 'char *'), ('number', 'number', 'double'),
    ('int', 'int', 'int64_t'), ('int8', 'int', 'int8_t'),
    ('int16', 'int', 'int16_t'), ('int32', 'int', 'int32_t'),
    ('int64', 'int', 'int64_t'), ('uint8', 'int', 'uint8_t'),
    ('uint16', 'int', 'uint16_t'), ('uint32', 'int', 'uint32_t'),
    ('uint64', 'int', 'uint64_t'), ('size', 'int', 'uint64_t'),
    ('bool', 'boolean', 'bool'), ('any', 'value', 'QObject *'),
    ('null', 'null', 'QNull *'),
]


class QAPISchema:
    """Parse, check and model the schema in @fname."""

    def __init__(self, fname: str) -> None:
        self.fname = fname
        parser = QAPISchemaParser(fname)
        self.pragma = parser.pragma
        check_exprs(parser.exprs, self.pragma)
        self.entities: List[QAPISchemaEntity] = []
        self.by_name: Dict[str, QAPISchemaEntity] = {}
        self.modules: List[str] = []
        self.module_includes: Dict[str, List[str]] = {}
        self._module = BUILTIN_MODULE
        self._add_module(BUILTIN_MODULE)
        self._def_builtins()
        self._module = self._module_name(fname)
        self._add_module(self._module)
        for pexpr in parser.exprs:
            self._def_expr(pexpr.expr, pexpr.info)
        for entity in list(self.entities):
            if not isinstance(entity, QAPISchemaArrayType):
                entity.check(self)
        self._check_arrays()
        self._check_module_deps()

    # --- modules ---------------------------------------------------------

    def _module_name(self, fname: str) -> str:
        return os.path.relpath(fname, os.path.dirname(self.fname))

    def _add_module(self, name: str) -> None:
        if name not in self.modules:
            self.modules.append(name)
            self.module_includes[name] = []

    # --- definitions -----------------------------------------------------

    def _def_entity(self, entity: QAPISchemaEntity) -> None:
        if entity.name in self.by_name:
            other = self.by_name[entity.name]
            where = (" (defined at %s)" % other.info.loc()) \
                if other.info else ''
            raise QAPIError(entity.info, "'%s' is already defined%s"
                            % (entity.name, where))
        entity.module = self._module
        self.by_name[entity.name] = entity
        self.entities.append(entity)

    def _def_builtins(self) -> None:
        for name, json_type, ctype in BUILTINS:
            self._def_entity(QAPISchemaBuiltinType(name, json_type, ctype))
            self._make_array_type(name, None)
        self._def_entity(QAPISchemaObjectType('q_empty', None, None, [],
                                              None, [], None))

    def _make_array_type(self, element: str,
                         info: Optional[QAPISourceInfo]) -> str:
        name = element + 'List'
        if name not in self.by_name:
            module = self._module
            self._def_entity(QAPISchemaArrayType(name, info, element))
            self._module = module
        return name

    def _make_implicit_object(self, name: str, info: QAPISourceInfo,
                              ifcond: QAPISchemaIfCond,
                              members: List[QAPISchemaObjectTypeMember]
                              ) -> Optional[str]:
        if not members:
            return None
        self._def_entity(QAPISchemaObjectType(name, info, ifcond, [], None,
                                              members, None))
        return name

    def _type_name(self, value: Any, info: QAPISourceInfo) -> str:
        if isinstance(value, list):
            return self._make_array_type(value[0], info)
        return str(value)

    def _features(self, value: Any,
                  info: QAPISourceInfo) -> List[QAPISchemaFeature]:
        out = []
        for feat in value or []:
            feat = feat if isinstance(feat, dict) else {'name': feat}
            out.append(QAPISchemaFeature(feat['name'], info,
                                         QAPISchemaIfCond(feat.get('if'))))
        return out

    def _members(self, data: Dict[str, Any],
                 info: QAPISourceInfo) -> List[QAPISchemaObjectTypeMember]:
        members = []
        for key, arg in data.items():
            arg = arg if isinstance(arg, dict) else {'type': arg}
            optional = key.startswith('*')
            members.append(QAPISchemaObjectTypeMember(
                key[1:] if optional else key, info,
                self._type_name(arg['type'], info), optional,
                QAPISchemaIfCond(arg.get('if')),
                self._features(arg.get('features'), info)))
        return members

    def _variants(self, data: Dict[str, Any],
                  info: QAPISourceInfo) -> List[QAPISchemaVariant]:
        out = []
        for key, arg in data.items():
            arg = arg if isinstance(arg, dict) else {'type': arg}
            out.append(QAPISchemaVariant(key, info,
                                         self._type_name(arg['type'], info),
                                         QAPISchemaIfCond(arg.get('if'))))
        return out

    def _def_expr(self, expr: Dict[str, Any], info: QAPISourceInfo) -> None:
        if 'include' in expr:
            module = self._module_name(expr['include'])
            self._add_module(module)
            self.module_includes[self._module_name(info.fname)].append(
                module)
            return
        self._module = self._module_name(info.fname)
        ifcond = QAPISchemaIfCond(expr.get('if'))
        features = self._features(expr.get('features'), info)
        if 'enum' in expr:
            members = []
            for v in expr['data']:
                v = v if isinstance(v, dict) else {'name': v}
                members.append(QAPISchemaEnumMember(
                    v['name'], info, QAPISchemaIfCond(v.get('if')),
                    self._features(v.get('features'), info)))
            self._def_entity(QAPISchemaEnumType(
                expr['enum'], info, ifcond, features, members,
                expr.get('prefix')))
        elif 'struct' in expr:
            self._def_entity(QAPISchemaObjectType(
                expr['struct'], info, ifcond, features, expr.get('base'),
                self._members(expr['data'], info), None))
        elif 'union' in expr:
            name = expr['union']
            base = expr['base']
            if isinstance(base, dict):
                base = self._make_implicit_object(
                    'q_obj_%s-base' % name, info, ifcond,
                    self._members(base, info))
            variants = QAPISchemaVariants(expr['discriminator'], info,
                                          self._variants(expr['data'], info))
            self._def_entity(QAPISchemaObjectType(
                name, info, ifcond, features, base, [], variants))
        elif 'alternate' in expr:
            self._def_entity(QAPISchemaAlternateType(
                expr['alternate'], info, ifcond, features,
                QAPISchemaVariants(None, info,
                                   self._variants(expr['data'], info))))
        else:
            self._def_command_or_event(expr, info, ifcond, features)

    def _def_command_or_event(self, expr: Dict[str, Any],
                              info: QAPISourceInfo, ifcond: QAPISchemaIfCond,
                              features: List[QAPISchemaFeature]) -> None:
        meta = 'command' if 'command' in expr else 'event'
        name = expr[meta]
        data = expr.get('data')
        if isinstance(data, dict):
            data = self._make_implicit_object(
                'q_obj_%s-arg' % name, info, ifcond,
                self._members(data, info))
        if meta == 'event':
            self._def_entity(QAPISchemaEvent(name, info, ifcond, features,
                                             data, expr.get('boxed', False)))
            return
        ret = expr.get('returns')
        ret_name = self._type_name(ret, info) if ret is not None else None
        flags = {k: expr[k] for k in ('gen', 'success-response', 'boxed',
                                      'allow-oob', 'allow-preconfig',
                                      'coroutine') if k in expr}
        self._def_entity(QAPISchemaCommand(name, info, ifcond, features,
                                           data, ret_name, flags))

    # --- lookups ---------------------------------------------------------

    def lookup_type(self, name: str) -> Optional[QAPISchemaType]:
        ent = self.by_name.get(name)
        return ent if isinstance(ent, QAPISchemaType) else None

    def resolve_type(self, name: str, info: Optional[QAPISourceInfo],
                     what: str) -> QAPISchemaType:
        typ = self.lookup_type(name)
        if isinstance(typ, QAPISchemaArrayType):
            # Name the array the way the schema spells it: ['Elt']
            elt = typ._element_type_name
            if self.lookup_type(elt) is None:
                raise QAPIError(info, "%s uses unknown type '[%s]'"
                                % (what, elt))
            typ.check(self)
        if typ is None:
            raise QAPIError(info, "%s uses unknown type '%s'"
                            % (what, name))
        return typ

    def _check_arrays(self) -> None:
        for ent in self.entities:
            if isinstance(ent, QAPISchemaArrayType):
                ent.check(self)

    def _reachable(self, module: str) -> List[str]:
        """@module and every module it includes, directly or not."""
        seen = [module]
        for mod in seen:
            seen += [m for m in self.module_includes[mod] if m not in seen]
        return seen

    def _check_module_deps(self) -> None:
        """Generated C for a module includes only the headers of the
        modules it includes, so a definition may only use types from
        those (and the builtins)."""
        for ent in self.entities:
            if ent.info is None or ent.module is None:
                continue
            used: List[QAPISchemaType] = []
            if isinstance(ent, QAPISchemaObjectType):
                used += [m.type for m in ent.local_members]
                used += [ent.base] if ent.base else []
                if ent.variants:
                    used += [v.type for v in ent.variants.variants]
            elif isinstance(ent, QAPISchemaAlternateType):
                used += [v.type for v in ent.variants.variants]
            elif isinstance(ent, QAPISchemaCommand):
                used += [t for t in (ent.arg_type, ent.ret_type) if t]
            elif isinstance(ent, QAPISchemaEvent):
                used += [ent.arg_type] if ent.arg_type else []
            reachable = self._reachable(ent.module)
            for typ in used:
                if isinstance(typ, QAPISchemaArrayType):
                    typ = typ.element_type
                if typ.module in (BUILTIN_MODULE, None) or \
                        typ.module in reachable:
                    continue
                raise QAPIError(ent.info, "%s uses type '%s' from module "
                                "'%s', which its module does not include"
                                % (ent.describe(), typ.name, typ.module))

    def visit(self, visitor: QAPISchemaVisitor) -> None:
        visitor.visit_begin(self)
        for module in self.modules:
            visitor.visit_module(module)
            for inc in self.module_includes[module]:
                visitor.visit_include(inc, QAPISourceInfo(module, 1))
            for ent in self.entities:
                if ent.module == module and visitor.visit_needed(ent):
                    ent.visit(visitor)
        visitor.visit_end()
