# SPDX-License-Identifier: GPL-2.0-or-later
"""Backend for qapi-types-MODULE.h/.c: C enums with their lookup tables,
structs for objects, unions, alternates and lists, and qapi_free_TYPE().

Within a module, enums come first (structs hold them by value), then
forward typedefs of every struct, then the struct definitions in an order
where a struct embedded by value (union and alternate branches) precedes
its user."""

from typing import Dict, List, Optional, Tuple

from .common import c_decl, c_enum_const, c_name, mcgen
from .gen import QAPISchemaModularCVisitor
from .schema import (QAPISchema, QAPISchemaEnumMember, QAPISchemaFeature,
                     QAPISchemaIfCond, QAPISchemaObjectType, QAPISchemaObjectTypeMember,
                     QAPISchemaType, QAPISchemaVariants, gen_if,
                     special_features_c)
from .source import QAPISourceInfo


def gen_enum_lookup(name: str, members: List[QAPISchemaEnumMember],
                    prefix: Optional[str]) -> str:
    array = ''
    feats = ''
    for m in members:
        const = c_enum_const(name, m.name, prefix or '')
        array += gen_if(m.ifcond, '        [%s] = "%s",\n' % (const, m.name))
        special = [f.name for f in m.features if f.is_special()]
        if special:
            feats += gen_if(m.ifcond, '        [%s] = %s,\n'
                            % (const, special_features_c(special)))
    max_const = c_enum_const(name, '_MAX', prefix or '')
    text = 'const QEnumLookup %s_lookup = {\n' % c_name(name)
    text += '    .array = (const char *const[]) {\n%s    },\n' % array
    if feats:
        text += ('    .special_features = (const unsigned char[%s]) {\n'
                 '%s    },\n' % (max_const, feats))
    text += '    .size = %s\n};\n\n' % max_const
    return text


def gen_enum(name: str, members: List[QAPISchemaEnumMember],
             prefix: Optional[str]) -> str:
    body = ''
    for m in members:
        body += gen_if(m.ifcond, '    %s,\n'
                       % c_enum_const(name, m.name, prefix or ''))
    cname = c_name(name)
    return mcgen('''
        typedef enum %(c)s {
        %(body)s    %(max)s,
        } %(c)s;

        #define %(c)s_str(val) \\
            qapi_enum_lookup(&%(c)s_lookup, (val))

        extern const QEnumLookup %(c)s_lookup;

        ''', c=cname, body=body,
                 max=c_enum_const(name, '_MAX', prefix or ''))


def gen_struct_members(members: List[QAPISchemaObjectTypeMember]) -> str:
    text = ''
    for m in members:
        one = ''
        if m.optional:
            one += '    bool has_%s;\n' % c_name(m.name)
        one += '    %s%s;\n' % (pad_type(m.type.c_type()), c_name(m.name))
        text += gen_if(m.ifcond, one)
    return text


def pad_type(ctype: str) -> str:
    """'char *' stays glued to the name, 'int64_t' gets a space."""
    return ctype if ctype.endswith('*') else ctype + ' '


def gen_variants(variants: QAPISchemaVariants, tag: str) -> str:
    text = '    union { /* union tag is @%s */\n' % tag
    for v in variants.variants:
        if isinstance(v.type, QAPISchemaObjectType) and v.type.is_empty():
            continue
        ctype = v.type.c_unboxed_type() \
            if isinstance(v.type, QAPISchemaObjectType) else v.type.c_type()
        text += gen_if(v.ifcond, '        %s%s;\n'
                       % (pad_type(ctype), c_name(v.name)))
    return text + '    } u;\n'


class QAPISchemaGenTypesVisitor(QAPISchemaModularCVisitor):

    def __init__(self, prefix: str, builtins: bool) -> None:
        super().__init__(prefix, 'types', 'Schema-defined QAPI types',
                         builtins)
        self._enums = ''
        self._fwd = ''
        self._defs: Dict[str, Tuple[str, List[str], QAPISchemaIfCond]] = {}
        self._order: List[str] = []
        self._free = ''

    def _begin_module(self, name: str) -> None:
        self._genc.add_preamble(mcgen('''
            #include "qemu/osdep.h"
            #include "qapi/dealloc-visitor.h"
            #include "%(types)s.h"
            #include "%(visit)s.h"

            ''', types=self._basename(name),
                                      visit=self._basename(name).replace(
                                          'qapi-types', 'qapi-visit')
                                      .replace('qapi-builtin-types',
                                               'qapi-builtin-visit')))
        if self._is_builtin():
            self._genh.add_preamble(mcgen('''
                #include "qapi/util.h"
                #include "qobject/qobject.h"
                #include "qobject/qnull.h"

                '''))
        else:
            self._genh.add_preamble('#include "qapi/qapi-builtin-types.h"\n')

    def visit_module(self, name: str) -> None:
        if self._current:
            self._flush()
        super().visit_module(name)

    def visit_end(self) -> None:
        self._flush()

    def _flush(self) -> None:
        """Emit the collected enums, typedefs and definitions in order."""
        self._genh.add('\n' + self._enums + self._fwd + '\n')
        done: Dict[str, bool] = {}

        def emit(name: str) -> None:
            if name in done or name not in self._defs:
                return
            done[name] = True
            text, deps, ifcond = self._defs[name]
            for dep in deps:
                emit(dep)
            self._genh.add(gen_if(ifcond, text))
        for name in self._order:
            emit(name)
        self._genh.add(self._free)
        self._enums = self._fwd = self._free = ''
        self._defs = {}
        self._order = []

    def _add_def(self, name: str, text: str, deps: List[str],
                 ifcond: QAPISchemaIfCond) -> None:
        self._defs[name] = (text, deps, ifcond)
        self._order.append(name)

    def _gen_free(self, name: str, ifcond: QAPISchemaIfCond) -> None:
        cname = c_name(name)
        self._free += gen_if(ifcond, 'void qapi_free_%s(%s *obj);\n' % (
            cname, cname) + c_decl('G_DEFINE_AUTOPTR_CLEANUP_FUNC',
                                   [cname, 'qapi_free_' + cname], '') + '\n')
        self._genc.add(gen_if(ifcond, mcgen('''
            void qapi_free_%(c)s(%(c)s *obj)
            {
                Visitor *v;

                if (!obj) {
                    return;
                }

                v = qapi_dealloc_visitor_new();
                visit_type_%(c)s(v, NULL, &obj, NULL);
                visit_free(v);
            }

            ''', c=cname)))

    def _fwd_decl(self, name: str, ifcond: QAPISchemaIfCond) -> None:
        self._fwd += gen_if(ifcond, 'typedef struct %s %s;\n'
                            % (c_name(name), c_name(name)))

    def visit_enum_type(self, name: str, info: Optional[QAPISourceInfo],
                        ifcond: QAPISchemaIfCond,
                        features: List[QAPISchemaFeature],
                        members: List[QAPISchemaEnumMember],
                        prefix: Optional[str]) -> None:
        self._enums += gen_if(ifcond, gen_enum(name, members, prefix))
        self._genc.add(gen_if(ifcond, gen_enum_lookup(name, members,
                                                      prefix)))

    def visit_array_type(self, name: str, info: Optional[QAPISourceInfo],
                         ifcond: QAPISchemaIfCond,
                         element_type: QAPISchemaType) -> None:
        self._fwd_decl(name, ifcond)
        cname = c_name(name)
        self._add_def(name, mcgen('''
            struct %(c)s {
                %(c)s *next;
                %(elt)svalue;
            };

            ''', c=cname, elt=pad_type(element_type.c_type())), [], ifcond)
        self._gen_free(name, ifcond)

    def visit_object_type(self, name: str, info: Optional[QAPISourceInfo],
                          ifcond: QAPISchemaIfCond,
                          features: List[QAPISchemaFeature],
                          base: Optional[QAPISchemaObjectType],
                          members: List[QAPISchemaObjectTypeMember],
                          variants: Optional[QAPISchemaVariants]) -> None:
        if name == 'q_empty':
            return
        self._fwd_decl(name, ifcond)
        cname = c_name(name)
        body = ''
        if base:
            if not base.is_implicit():
                body += '    /* Members inherited from %s: */\n' % base.name
            body += gen_struct_members(base.members)
            if not base.is_implicit():
                body += '    /* Own members: */\n'
        body += gen_struct_members(members)
        deps = []
        if variants:
            assert variants.tag_member is not None
            body += gen_variants(variants, variants.tag_member.name)
            deps = [v.type.name for v in variants.variants]
        if not body:
            body = '    char qapi_dummy_for_empty_struct;\n'
        text = 'struct %s {\n%s};\n\n' % (cname, body)
        if base and not base.is_implicit():
            text += mcgen('''
                static inline %(b)s *qapi_%(c)s_base(const %(c)s *obj)
                {
                    return (%(b)s *)obj;
                }

                ''', c=cname, b=c_name(base.name))
        self._add_def(name, text, deps, ifcond)
        if not name.startswith('q_'):
            self._gen_free(name, ifcond)

    def visit_alternate_type(self, name: str,
                             info: Optional[QAPISourceInfo],
                             ifcond: QAPISchemaIfCond,
                             features: List[QAPISchemaFeature],
                             variants: QAPISchemaVariants) -> None:
        self._fwd_decl(name, ifcond)
        text = 'struct %s {\n    QType type;\n%s};\n\n' % (
            c_name(name), gen_variants(variants, 'type'))
        deps = [v.type.name for v in variants.variants]
        self._add_def(name, text, deps, ifcond)
        self._gen_free(name, ifcond)


def gen_types(schema: QAPISchema, outdir: str, prefix: str,
              builtins: bool) -> List[str]:
    vis = QAPISchemaGenTypesVisitor(prefix, builtins)
    schema.visit(vis)
    vis.write(outdir)
    return vis.outputs()
