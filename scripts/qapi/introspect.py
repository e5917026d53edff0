# SPDX-License-Identifier: GPL-2.0-or-later
"""Backend for qapi-introspect.h/.c: the SchemaInfo list that
query-qmp-schema returns, as a C function building the QObject.

Like QEMU, only commands and events are entry points; every type they
reach is listed after them.  Non-builtin types are renamed to numbers
("0", "1", ...) in order of first use, so clients cannot depend on type
names, and the sized integer types all appear as 'int'."""

from typing import Any, Dict, List, Optional, Union

from .common import c_name, mcgen
from .gen import QAPIGenC, QAPIGenH
from .schema import (QAPISchema, QAPISchemaAlternateType,
                     QAPISchemaArrayType, QAPISchemaBuiltinType,
                     QAPISchemaCommand, QAPISchemaEntity, QAPISchemaEnumType,
                     QAPISchemaEvent, QAPISchemaFeature, QAPISchemaIfCond,
                     QAPISchemaObjectType, QAPISchemaType, QAPISchemaVisitor,
                     gen_if)


class Cond:
    """A value that is only present when its C condition holds."""

    def __init__(self, value: Any, ifcond: QAPISchemaIfCond) -> None:
        self.value = value
        self.ifcond = ifcond


JSONValue = Union[None, bool, str, List[Any], Dict[str, Any], Cond]


def features_value(features: List[QAPISchemaFeature]) -> List[Any]:
    return [Cond(f.name, f.ifcond) for f in features]


class QAPISchemaGenIntrospectVisitor(QAPISchemaVisitor):

    def __init__(self, prefix: str) -> None:
        self._prefix = prefix
        self._entries: List[Cond] = []
        self._names: Dict[str, str] = {}
        self._queue: List[QAPISchemaType] = []
        self._done: Dict[str, bool] = {}

    # --- naming ----------------------------------------------------------

    def _use(self, typ: Optional[QAPISchemaType]) -> str:
        """Return the introspection name of @typ, queueing it for listing."""
        if typ is None:
            typ = self._schema.lookup_type('q_empty')
            assert typ is not None
        if isinstance(typ, QAPISchemaBuiltinType):
            if typ.json_type() == 'int':
                typ = self._schema.lookup_type('int')
                assert typ is not None
            name = typ.name
        elif isinstance(typ, QAPISchemaArrayType):
            name = '[%s]' % self._use(typ.element_type)
        else:
            if typ.name not in self._names:
                self._names[typ.name] = str(len(self._names))
            name = self._names[typ.name]
        if name not in self._done:
            self._done[name] = True
            self._queue.append(typ)
        return name

    # --- entries ---------------------------------------------------------

    def _add(self, name: str, meta: str, entity: Optional[QAPISchemaEntity],
             extra: Dict[str, Any]) -> None:
        obj: Dict[str, Any] = {'name': name, 'meta-type': meta}
        obj.update(extra)
        ifcond = QAPISchemaIfCond()
        if entity is not None:
            if entity.features:
                obj['features'] = features_value(entity.features)
            ifcond = entity.ifcond
        self._entries.append(Cond(obj, ifcond))

    def _type_entry(self, typ: QAPISchemaType) -> None:
        name = self._use(typ)
        if isinstance(typ, QAPISchemaBuiltinType):
            self._add(name, 'builtin', None, {'json-type': typ.json_type()})
        elif isinstance(typ, QAPISchemaEnumType):
            members = []
            for m in typ.members:
                mobj: Dict[str, Any] = {'name': m.name}
                if m.features:
                    mobj['features'] = features_value(m.features)
                members.append(Cond(mobj, m.ifcond))
            self._add(name, 'enum', typ, {
                'members': members,
                'values': [Cond(m.name, m.ifcond) for m in typ.members]})
        elif isinstance(typ, QAPISchemaArrayType):
            self._add(name, 'array', None,
                      {'element-type': self._use(typ.element_type)})
        elif isinstance(typ, QAPISchemaObjectType):
            self._object_entry(name, typ)
        elif isinstance(typ, QAPISchemaAlternateType):
            self._add(name, 'alternate', typ, {'members': [
                Cond({'type': self._use(v.type)}, v.ifcond)
                for v in typ.variants.variants]})

    def _object_entry(self, name: str, typ: QAPISchemaObjectType) -> None:
        members = []
        for m in typ.members:
            mobj: Dict[str, Any] = {'name': m.name, 'type': self._use(m.type)}
            if m.optional:
                mobj['default'] = None
            if m.features:
                mobj['features'] = features_value(m.features)
            members.append(Cond(mobj, m.ifcond))
        extra: Dict[str, Any] = {'members': members}
        if typ.variants:
            assert typ.variants.tag_member is not None
            extra['tag'] = typ.variants.tag_member.name
            extra['variants'] = [
                Cond({'case': v.name, 'type': self._use(v.type)}, v.ifcond)
                for v in typ.variants.variants]
            # As in QEMU, tag values without a branch show an empty one
            tag_type = typ.variants.tag_member.type
            assert isinstance(tag_type, QAPISchemaEnumType)
            cases = {v.name for v in typ.variants.variants}
            extra['variants'] += [
                Cond({'case': m.name, 'type': self._use(None)}, m.ifcond)
                for m in tag_type.members if m.name not in cases]
        self._add(name, 'object', typ, extra)

    # --- visitor ---------------------------------------------------------

    def visit_begin(self, schema: QAPISchema) -> None:
        self._schema = schema

    def visit_command(self, cmd: QAPISchemaCommand) -> None:
        extra: Dict[str, Any] = {'arg-type': self._use(cmd.arg_type),
                                 'ret-type': self._use(cmd.ret_type)}
        if cmd.allow_oob:
            extra['allow-oob'] = True
        self._add(cmd.name, 'command', cmd, extra)

    def visit_event(self, event: QAPISchemaEvent) -> None:
        self._add(event.name, 'event', event,
                  {'arg-type': self._use(event.arg_type)})

    def visit_end(self) -> None:
        i = 0
        while i < len(self._queue):
            self._type_entry(self._queue[i])
            i += 1

    # --- output ----------------------------------------------------------

    def entries(self) -> List[Cond]:
        return self._entries

    def files(self) -> List[QAPIGenC]:
        base = '%sqapi-introspect' % self._prefix
        fn = c_name(self._prefix + 'qmp_schema_qobject', False)
        genh = QAPIGenH(base + '.h', 'QAPI/QMP schema introspection')
        genh.add(mcgen('''
            #include "qobject/qobject.h"

            /*
             * Return a new reference to the SchemaInfo list that
             * query-qmp-schema replies with.
             */
            QObject *%(fn)s(void);
            ''', fn=fn))
        genc = QAPIGenC(base + '.c', 'QAPI/QMP schema introspection')
        body = ''.join(gen_if(e.ifcond, gen_entry(e.value))
                       for e in self._entries)
        genc.add(mcgen('''
            #include "qemu/osdep.h"
            #include "qobject/qdict.h"
            #include "qobject/qlist.h"
            #include "%(base)s.h"

            static QDict *schema_dict(QList *list)
            {
                QDict *dict = qdict_new();

                qlist_append_obj(list, QOBJECT(dict));
                return dict;
            }

            static QList *schema_list(QDict *dict, const char *key)
            {
                QList *list = qlist_new();

                qdict_put_obj(dict, key, QOBJECT(list));
                return list;
            }

            QObject *%(fn)s(void)
            {
                QList *schema = qlist_new();
                QDict *entry, *member;
                QList *list, *sub;

            %(body)s
                (void)member;
                (void)list;
                (void)sub;
                return QOBJECT(schema);
            }
            ''', base=base, fn=fn, body=body))
        return [genc, genh]


def c_string(text: str) -> str:
    return '"%s"' % text.replace('\\', '\\\\').replace('"', '\\"')


def gen_dict(var: str, obj: Dict[str, Any], depth: int) -> str:
    """Statements filling the QDict @var from @obj."""
    text = ''
    for key, value in obj.items():
        if isinstance(value, str):
            text += '    qdict_put_str(%s, %s, %s);\n' % (
                var, c_string(key), c_string(value))
        elif isinstance(value, bool):
            text += '    qdict_put_bool(%s, %s, %s);\n' % (
                var, c_string(key), 'true' if value else 'false')
        elif value is None:
            text += '    qdict_put_null(%s, %s);\n' % (var, c_string(key))
        else:
            lvar = 'list' if depth == 0 else 'sub'
            text += '    %s = schema_list(%s, %s);\n' % (lvar, var,
                                                       c_string(key))
            text += gen_list(lvar, value, depth + 1)
    return text


def gen_list(var: str, items: List[Any], depth: int) -> str:
    text = ''
    for item in items:
        one = ''
        value = item.value if isinstance(item, Cond) else item
        if isinstance(value, str):
            one = '    qlist_append_str(%s, %s);\n' % (var, c_string(value))
        else:
            assert isinstance(value, dict) and depth == 1
            one = '    member = schema_dict(%s);\n' % var
            one += gen_dict('member', value, depth)
        text += gen_if(item.ifcond, one) if isinstance(item, Cond) else one
    return text


def gen_entry(obj: Dict[str, Any]) -> str:
    return '    entry = schema_dict(schema);\n' + gen_dict('entry', obj, 0)


def to_json(value: Any) -> Any:
    """Plain JSON of an entry, conditions ignored (for tests and tools)."""
    if isinstance(value, Cond):
        return to_json(value.value)
    if isinstance(value, dict):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return value


def gen_introspect(schema: QAPISchema, outdir: str,
                   prefix: str) -> List[str]:
    vis = QAPISchemaGenIntrospectVisitor(prefix)
    schema.visit(vis)
    out = []
    for gen in vis.files():
        gen.write(outdir)
        out.append(gen.fname)
    return out
