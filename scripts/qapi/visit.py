# SPDX-License-Identifier: GPL-2.0-or-later
"""Backend for qapi-visit-MODULE.h/.c: visit_type_TYPE() for every type
and visit_type_TYPE_members() for objects.

One generated walk serves every visitor: input (QObject to C, allocating),
output (C to QObject), clone and dealloc.  An input failure frees what was
built so far, so callers never see half-filled objects."""

from typing import List, Optional

from .common import c_decl, c_name, mcgen
from .gen import QAPISchemaModularCVisitor
from .schema import (QAPISchema, QAPISchemaEnumMember, QAPISchemaEnumType,
                     QAPISchemaFeature, QAPISchemaIfCond,
                     QAPISchemaObjectType, QAPISchemaObjectTypeMember,
                     QAPISchemaType, QAPISchemaVariants, gen_if,
                     special_features_c)
from .source import QAPISourceInfo


def visit_head(name: str, scalar: bool = False, tail: str = ';') -> str:
    """The prototype of visit_type_NAME(), ending with @tail."""
    cname = c_name(name)
    star = '' if scalar else '*'
    return c_decl('bool visit_type_%s' % cname,
                  ['Visitor *v', 'const char *name',
                   '%s %s*obj' % (cname, star), 'Error **errp'], tail)


def gen_visit_decl(name: str, scalar: bool = False) -> str:
    return visit_head(name, scalar) + '\n'


def members_head(name: str, tail: str = ';') -> str:
    cname = c_name(name)
    return c_decl('bool visit_type_%s_members' % cname,
                  ['Visitor *v', '%s *obj' % cname, 'Error **errp'], tail)


def gen_visit_members_decl(name: str) -> str:
    return members_head(name)


def gen_member_visit(m: QAPISchemaObjectTypeMember) -> str:
    """Visit one member of obj, honouring optional and special features."""
    cname = c_name(m.name)
    call = ('if (!visit_type_%s(v, "%s", &obj->%s, errp)) {\n'
            '    return false;\n}\n'
            % (m.type.c_name(), m.name, cname))
    if m.optional:
        call = 'if (visit_optional(v, "%s", &obj->has_%s)) {\n%s}\n' % (
            m.name, cname, indent(call))
    special = m.special_features()
    if special:
        feats = special_features_c(special)
        call = ('if (visit_policy_reject(v, "%s", %s, errp)) {\n'
                '    return false;\n}\n'
                'if (!visit_policy_skip(v, "%s", %s)) {\n%s}\n'
                % (m.name, feats, m.name, feats, indent(call)))
    return gen_if(m.ifcond, indent(call))


def indent(text: str) -> str:
    return ''.join('    ' + ln if ln.strip() and not ln.startswith('#')
                   else ln for ln in text.splitlines(True))


def gen_visit_members(name: str, base: Optional[QAPISchemaObjectType],
                      members: List[QAPISchemaObjectTypeMember],
                      variants: Optional[QAPISchemaVariants]) -> str:
    cname = c_name(name)
    body = ''
    if base:
        body += c_decl('    if (!visit_type_%s_members' % base.c_name(),
                       ['v', '(%s *)obj' % base.c_name(), 'errp'], ') {')
        body += '        return false;\n    }\n'
    for m in members:
        body += gen_member_visit(m)
    if variants:
        assert variants.tag_member is not None
        tag = variants.tag_member
        assert isinstance(tag.type, QAPISchemaEnumType)
        body += '    switch (obj->%s) {\n' % c_name(tag.name)
        for v in variants.variants:
            if not isinstance(v.type, QAPISchemaObjectType) or \
                    v.type.is_empty():
                continue
            body += gen_if(v.ifcond, '    case %s:\n' % tag.type.c_const(
                v.name) + c_decl('        return visit_type_%s_members'
                                 % v.type.c_name(),
                                 ['v', '&obj->u.%s' % c_name(v.name),
                                  'errp']))
        body += '    default:\n        break;\n    }\n'
    return members_head(name, '') + mcgen('''
        {
        %(body)s    return true;
        }

        ''', c=cname, body=body)


def gen_visit_object(name: str) -> str:
    return visit_head(name, tail='') + mcgen('''
        {
            bool ok = false;

            if (!visit_start_struct(v, name, (void **)obj,
                                    sizeof(%(c)s), errp)) {
                return false;
            }
            if (!*obj) {
                /* Only the dealloc visitor gets here, on partial input. */
                assert(visit_is_dealloc(v));
                ok = true;
                goto out_obj;
            }
            if (!visit_type_%(c)s_members(v, *obj, errp)) {
                goto out_obj;
            }
            ok = visit_check_struct(v, errp);
        out_obj:
            visit_end_struct(v, (void **)obj);
            if (!ok && visit_is_input(v)) {
                qapi_free_%(c)s(*obj);
                *obj = NULL;
            }
            return ok;
        }

        ''', c=c_name(name))


def gen_visit_list(name: str) -> str:
    return visit_head(name, tail='') + mcgen('''
        {
            bool ok = false;
            %(c)s *tail;
            size_t size = sizeof(**obj);

            if (!visit_start_list(v, name, (GenericList **)obj, size, errp)) {
                return false;
            }

            for (tail = *obj; tail;
                 tail = (%(c)s *)visit_next_list(v, (GenericList *)tail,
                                                 size)) {
                if (!visit_type_%(e)s(v, NULL, &tail->value, errp)) {
                    goto out_obj;
                }
            }

            ok = visit_check_list(v, errp);
        out_obj:
            visit_end_list(v, (void **)obj);
            if (!ok && visit_is_input(v)) {
                qapi_free_%(c)s(*obj);
                *obj = NULL;
            }
            return ok;
        }

        ''', c=c_name(name), e='%(e)s')


def gen_visit_enum(name: str) -> str:
    return visit_head(name, scalar=True, tail='') + mcgen('''
        {
            int value = *obj;
            bool ok = visit_type_enum(v, name, &value, &%(c)s_lookup, errp);
            *obj = value;
            return ok;
        }

        ''', c=c_name(name))


def gen_visit_alternate(name: str, variants: QAPISchemaVariants) -> str:
    cases = ''
    for v in variants.variants:
        qtype = v.type.alternate_qtype()
        vname = c_name(v.name)
        if isinstance(v.type, QAPISchemaObjectType):
            case = mcgen('''
                case %(q)s:
                    if (!visit_start_struct(v, name, NULL, 0, errp)) {
                        break;
                    }
                    if (visit_type_%(t)s_members(v, &(*obj)->u.%(v)s, errp)) {
                        ok = visit_check_struct(v, errp);
                    }
                    visit_end_struct(v, NULL);
                    break;
                ''', q=str(qtype), t=v.type.c_name(), v=vname)
        else:
            case = mcgen('''
                case %(q)s:
                    ok = visit_type_%(t)s(v, name, &(*obj)->u.%(v)s, errp);
                    break;
                ''', q=str(qtype), t=v.type.c_name(), v=vname)
        cases += gen_if(v.ifcond, indent(case))
    return visit_head(name, tail='') + mcgen('''
        {
            bool ok = false;

            if (!visit_start_alternate(v, name, (GenericAlternate **)obj,
                                       sizeof(**obj), errp)) {
                return false;
            }
            if (!*obj) {
                /* Only the dealloc visitor gets here, on partial input. */
                assert(visit_is_dealloc(v));
                ok = true;
                goto out_obj;
            }
            switch ((*obj)->type) {
        %(cases)s    case QTYPE_NONE:
                abort();
            default:
                assert(visit_is_input(v));
                error_setg(errp, "Invalid parameter type for '%%s', "
                           "expected: %(n)s", name ? name : "null");
                /* Let the dealloc visitor free what the input allocated. */
                g_free(*obj);
                *obj = NULL;
            }
        out_obj:
            visit_end_alternate(v, (void **)obj);
            if (!ok && visit_is_input(v)) {
                qapi_free_%(c)s(*obj);
                *obj = NULL;
            }
            return ok;
        }

        ''', c=c_name(name), cases=cases, n=name)


class QAPISchemaGenVisitVisitor(QAPISchemaModularCVisitor):

    def __init__(self, prefix: str, builtins: bool) -> None:
        super().__init__(prefix, 'visit', 'Schema-defined QAPI visitors',
                         builtins)

    def _begin_module(self, name: str) -> None:
        types = self._basename(name).replace('-visit', '-types') \
            .replace('qapi-builtin-visit', 'qapi-builtin-types')
        self._genc.add_preamble(mcgen('''
            #include "qemu/osdep.h"
            #include "qapi/error.h"
            #include "qapi/qmp/qerror.h"
            #include "%(visit)s.h"

            ''', visit=self._basename(name)))
        self._genh.add_preamble(mcgen('''
            #include "qapi/visitor.h"
            #include "%(types)s.h"

            ''', types=types))
        if not self._is_builtin():
            self._genh.add_preamble('#include "qapi/qapi-builtin-visit.h"\n')

    def visit_enum_type(self, name: str, info: Optional[QAPISourceInfo],
                        ifcond: QAPISchemaIfCond,
                        features: List[QAPISchemaFeature],
                        members: List[QAPISchemaEnumMember],
                        prefix: Optional[str]) -> None:
        self._genh.add(gen_if(ifcond, gen_visit_decl(name, scalar=True)))
        self._genc.add(gen_if(ifcond, gen_visit_enum(name)))

    def visit_array_type(self, name: str, info: Optional[QAPISourceInfo],
                         ifcond: QAPISchemaIfCond,
                         element_type: QAPISchemaType) -> None:
        self._genh.add(gen_if(ifcond, gen_visit_decl(name)))
        text = gen_visit_list(name) % {'e': element_type.c_name()}
        self._genc.add(gen_if(ifcond, text))

    def visit_object_type(self, name: str, info: Optional[QAPISourceInfo],
                          ifcond: QAPISchemaIfCond,
                          features: List[QAPISchemaFeature],
                          base: Optional[QAPISchemaObjectType],
                          members: List[QAPISchemaObjectTypeMember],
                          variants: Optional[QAPISchemaVariants]) -> None:
        if name == 'q_empty':
            return
        self._genh.add(gen_if(ifcond, gen_visit_members_decl(name)))
        self._genc.add(gen_if(ifcond, gen_visit_members(name, base, members,
                                                         variants)))
        if not name.startswith('q_'):
            self._genh.add(gen_if(ifcond, gen_visit_decl(name)))
            self._genc.add(gen_if(ifcond, gen_visit_object(name)))

    def visit_alternate_type(self, name: str,
                             info: Optional[QAPISourceInfo],
                             ifcond: QAPISchemaIfCond,
                             features: List[QAPISchemaFeature],
                             variants: QAPISchemaVariants) -> None:
        self._genh.add(gen_if(ifcond, gen_visit_decl(name)))
        self._genc.add(gen_if(ifcond, gen_visit_alternate(name, variants)))


def gen_visit(schema: QAPISchema, outdir: str, prefix: str,
              builtins: bool) -> List[str]:
    vis = QAPISchemaGenVisitVisitor(prefix, builtins)
    schema.visit(vis)
    vis.write(outdir)
    return vis.outputs()
