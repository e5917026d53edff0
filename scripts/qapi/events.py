# SPDX-License-Identifier: GPL-2.0-or-later
"""Backend for qapi-events-MODULE.h/.c and qapi-emit-events.h/.c.

qapi_event_send_NAME() builds the event message {"event": NAME,
"timestamp": {...}, "data": {...}} and hands it to qapi_event_emit(),
which the monitor implements.  The QAPIEvent enum numbers the events."""

from typing import List

from .common import c_decl, c_enum_const, c_name, indent, mcgen
from .gen import QAPIGenC, QAPIGenH, QAPISchemaModularCVisitor
from .schema import QAPISchema, QAPISchemaEnumMember, QAPISchemaEvent, gen_if
from .types import gen_enum, gen_enum_lookup
from .commands import gen_params


def gen_event_send_decl(event: QAPISchemaEvent, tail: str) -> str:
    params: List[str] = []
    if event.arg_type and not event.arg_type.is_empty():
        params = gen_params(event.arg_type, event.boxed, '')
    return c_decl('void qapi_event_send_%s' % c_name(event.name.lower()),
                  params, tail)


def gen_param_fill(event: QAPISchemaEvent) -> str:
    """Copy the sender's parameters into the local argument struct."""
    assert event.arg_type is not None
    text = '    %s param = {0};\n\n' % event.arg_type.c_name()
    for m in event.arg_type.members:
        name = c_name(m.name)
        if m.optional:
            text += '    param.has_%s = has_%s;\n' % (name, name)
        cast = ''
        if m.type.c_param_type() != m.type.c_type():
            cast = '(%s)' % m.type.c_type()
        text += '    param.%s = %s%s;\n' % (name, cast, name)
    return text


def gen_policy_check(features: List[str]) -> str:
    """-compat deprecated-output=hide (or unstable-output) drops events
    carrying that feature, the way it hides members in replies."""
    text = ''
    for feat in features:
        text += '\n' + indent(mcgen('''
                if (compat_policy.has_%(f)s_output &&
                    compat_policy.%(f)s_output == COMPAT_POLICY_OUTPUT_HIDE) {
                    return;
                }
            ''', f=feat))
    return text


class QAPISchemaGenEventVisitor(QAPISchemaModularCVisitor):

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix, 'events', 'Schema-defined QAPI/QMP events',
                         False)
        self._enum_name = c_name(prefix + 'QAPIEvent', False)
        self._emit = c_name(prefix + 'qapi_event_emit', False)
        self._members: List[QAPISchemaEnumMember] = []
        self._has_events = False

    def _begin_module(self, name: str) -> None:
        base = self._basename(name)
        self._genc.add_preamble(mcgen('''
            #include "qemu/osdep.h"
            #include "qapi/compat-policy.h"
            #include "qapi/error.h"
            #include "qapi/visitor.h"
            #include "qapi/qobject-output-visitor.h"
            #include "qobject/qdict.h"
            #include "%(emit)s.h"
            #include "%(visit)s.h"
            #include "%(base)s.h"

            ''', base=base, visit=base.replace('qapi-events', 'qapi-visit'),
                                      emit='%sqapi-emit-events'
                                      % self._prefix))
        self._genh.add_preamble('#include "%s.h"\n\n'
                                % base.replace('qapi-events', 'qapi-types'))
        self._has_events = False

    def _gen_build_dict(self) -> None:
        # Static per module, so a module without events has no unused copy.
        self._genc.add(mcgen('''
            static QDict *qapi_event_build_dict(const char *event_name)
            {
                QDict *dict = qdict_new();
                QDict *stamp = qdict_new();
                int64_t now = g_get_real_time();

                qdict_put_int(stamp, "seconds", now / G_USEC_PER_SEC);
                qdict_put_int(stamp, "microseconds", now %% G_USEC_PER_SEC);
                qdict_put_str(dict, "event", event_name);
                qdict_put_obj(dict, "timestamp", QOBJECT(stamp));
                return dict;
            }

            ''', x=''))

    def visit_event(self, event: QAPISchemaEvent) -> None:
        if not self._has_events:
            self._gen_build_dict()
            self._has_events = True
        self._genh.add(gen_if(event.ifcond,
                              gen_event_send_decl(event, ';')))
        const = c_enum_const(self._enum_name, event.name)
        self._members.append(QAPISchemaEnumMember(event.name, None,
                                                  event.ifcond))
        has_args = event.arg_type is not None and \
            not event.arg_type.is_empty()
        body = '    QDict *qmp;\n'
        if has_args:
            assert event.arg_type is not None
            body += '    QObject *obj;\n    Visitor *v;\n'
            body += ('    %s *param_ptr = arg;\n' % event.arg_type.c_name()
                     if event.boxed else gen_param_fill(event))
            ref = 'param_ptr' if event.boxed else '&param'
        body += gen_policy_check(event.special_features())
        body += '\n    qmp = qapi_event_build_dict("%s");\n' % event.name
        if has_args:
            assert event.arg_type is not None
            body += mcgen('''

                v = qobject_output_visitor_new_qmp(&obj);
                visit_start_struct(v, "%(name)s", NULL, 0, &error_abort);
                visit_type_%(t)s_members(v, %(ref)s, &error_abort);
                visit_check_struct(v, &error_abort);
                visit_end_struct(v, NULL);
                visit_complete(v, &obj);
                qdict_put_obj(qmp, "data", obj);
                visit_free(v);
            ''', name=event.name, t=event.arg_type.c_name(), ref=ref) \
                .replace('\n', '\n    ').rstrip(' ')
        body += '    %s(%s, qmp);\n    qobject_unref(qmp);\n' % (
            self._emit, const)
        self._genc.add(gen_if(event.ifcond, '%s{\n%s}\n\n'
                              % (gen_event_send_decl(event, ''), body)))

    def emit_files(self) -> List[QAPIGenC]:
        base = '%sqapi-emit-events' % self._prefix
        genh = QAPIGenH(base + '.h', 'QAPI event numbering and emission')
        genh.add('#include "qapi/util.h"\n#include "qobject/qdict.h"\n\n')
        genh.add(gen_enum(self._enum_name, self._members, None))
        genh.add(mcgen('''
            /*
             * Send @qdict, a complete event message, to every listener.
             * Implemented by the monitor; takes its own reference.
             */
            void %(emit)s(%(e)s event, QDict *qdict);
            ''', emit=self._emit, e=self._enum_name))
        genc = QAPIGenC(base + '.c', 'QAPI event numbering and emission')
        genc.add('#include "qemu/osdep.h"\n#include "%s.h"\n\n' % base)
        genc.add(gen_enum_lookup(self._enum_name, self._members, None))
        return [genc, genh]


def gen_events(schema: QAPISchema, outdir: str, prefix: str) -> List[str]:
    vis = QAPISchemaGenEventVisitor(prefix)
    schema.visit(vis)
    vis.write(outdir)
    out = vis.outputs()
    for gen in vis.emit_files():
        gen.write(outdir)
        out.append(gen.fname)
    return out
