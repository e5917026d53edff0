# SPDX-License-Identifier: GPL-2.0-or-later
"""Backend for qapi-commands-MODULE.h/.c and qapi-init-commands.h/.c.

For each command: the prototype of the handler qmp_NAME() that the code
implements (non-boxed handlers take has_x, x pairs as QEMU 7.2 does,
boxed ones the argument struct), and qmp_marshal_NAME(), which turns the
QDict arguments into C values, calls the handler and turns the result back
into a QObject.  qmp_init_marshal() registers every marshaller."""

from typing import Dict, List

from .common import c_decl, c_name, mcgen
from .gen import QAPIGenC, QAPIGenH, QAPISchemaModularCVisitor
from .schema import (QAPISchema, QAPISchemaCommand, QAPISchemaObjectType,
                     QAPISchemaType, gen_if, special_features_c)


def gen_params(arg_type: QAPISchemaObjectType, boxed: bool,
               extra: str) -> List[str]:
    """The C parameter list of a handler or event sender."""
    if boxed:
        params = ['%s *arg' % arg_type.c_name()]
    else:
        params = []
        for m in arg_type.members:
            if m.optional:
                params.append('bool has_%s' % c_name(m.name))
            ctype = m.type.c_param_type()
            sep = '' if ctype.endswith('*') else ' '
            params.append('%s%s%s' % (ctype, sep, c_name(m.name)))
    if extra:
        params.append(extra)
    return params


def handler_args(cmd: QAPISchemaCommand) -> List[str]:
    """The arguments passed from the marshaller's local 'arg'."""
    args = []
    if cmd.arg_type and not cmd.arg_type.is_empty():
        if cmd.boxed:
            args.append('&arg')
        else:
            for m in cmd.arg_type.members:
                if m.optional:
                    args.append('arg.has_%s' % c_name(m.name))
                args.append('arg.%s' % c_name(m.name))
    args.append('&err')
    return args


def gen_command_decl(cmd: QAPISchemaCommand) -> str:
    ret = cmd.ret_type.c_type() if cmd.ret_type else 'void'
    sep = '' if ret.endswith('*') else ' '
    params = ['Error **errp']
    if cmd.arg_type and not cmd.arg_type.is_empty():
        params = gen_params(cmd.arg_type, cmd.boxed, 'Error **errp')
    return c_decl('%s%sqmp_%s' % (ret, sep, c_name(cmd.name)), params)


def gen_marshal_output(ret_type: QAPISchemaType) -> str:
    return mcgen('''
        static void qmp_marshal_output_%(c)s(%(t)sret_in,
                                        QObject **ret_out, Error **errp)
        {
            Visitor *v;

            v = qobject_output_visitor_new_qmp(ret_out);
            if (visit_type_%(c)s(v, "unused", &ret_in, errp)) {
                visit_complete(v, ret_out);
            }
            visit_free(v);
            v = qapi_dealloc_visitor_new();
            visit_type_%(c)s(v, "unused", &ret_in, NULL);
            visit_free(v);
        }

        ''', c=ret_type.c_name(), t=ret_type.c_type() +
                 ('' if ret_type.c_type().endswith('*') else ' '))


def gen_marshal(cmd: QAPISchemaCommand) -> str:
    has_args = cmd.arg_type is not None and not cmd.arg_type.is_empty()
    decl = ''
    if cmd.ret_type:
        decl += '    %s%sretval;\n' % (
            cmd.ret_type.c_type(),
            '' if cmd.ret_type.c_type().endswith('*') else ' ')
    if has_args:
        assert cmd.arg_type is not None
        decl += '    %s arg = {0};\n' % cmd.arg_type.c_name()
        visit_members = (
            '    if (visit_type_%s_members(v, &arg, errp)) {\n'
            '        ok = visit_check_struct(v, errp);\n    }\n'
            % cmd.arg_type.c_name())
        free_args = mcgen('''
            visit_free(v);
            v = qapi_dealloc_visitor_new();
            visit_start_struct(v, NULL, NULL, 0, NULL);
            visit_type_%(t)s_members(v, &arg, NULL);
            visit_end_struct(v, NULL);
        ''', t=cmd.arg_type.c_name())
    else:
        visit_members = '    ok = visit_check_struct(v, errp);\n'
        free_args = ''
    head = ('    retval = ' if cmd.ret_type else '    ') + \
        'qmp_%s' % c_name(cmd.name)
    call = c_decl(head, handler_args(cmd))
    output = ''
    if cmd.ret_type:
        output = '    qmp_marshal_output_%s(retval, ret, errp);\n' \
            % cmd.ret_type.c_name()
    return mcgen('''
        %(head)s{
            Error *err = NULL;
            bool ok = false;
            Visitor *v;
        %(decl)s
            v = qobject_input_visitor_new_qmp(QOBJECT(args));
            if (!visit_start_struct(v, NULL, NULL, 0, errp)) {
                goto out;
            }
        %(visit_members)s    visit_end_struct(v, NULL);
            if (!ok) {
                goto out;
            }

        %(call)s    if (err) {
                error_propagate(errp, err);
                goto out;
            }
        %(output)s
        out:
        %(free_args)s    visit_free(v);
        }

        ''', head=c_decl('void qmp_marshal_%s' % c_name(cmd.name),
                         ['QDict *args', 'QObject **ret', 'Error **errp'], ''),
                 decl=decl, visit_members=visit_members,
                 call=call, output=output,
                 free_args=''.join('    ' + ln + '\n' if ln else '\n'
                                   for ln in free_args.splitlines()))


def gen_register(cmd: QAPISchemaCommand) -> str:
    opts = []
    if not cmd.success_response:
        opts.append('QCO_NO_SUCCESS_RESP')
    if cmd.allow_oob:
        opts.append('QCO_ALLOW_OOB')
    if cmd.allow_preconfig:
        opts.append('QCO_ALLOW_PRECONFIG')
    if cmd.coroutine:
        opts.append('QCO_COROUTINE')
    return mcgen('''
        ....qmp_register_command(cmds, "%(name)s",
        ....                     %(fn)s, %(opts)s,
        ....                     %(feats)s);
        ''', name=cmd.name,
                 fn='qmp_marshal_' + c_name(cmd.name),
                 opts=' | '.join(opts) or 'QCO_NO_OPTIONS',
                 feats=special_features_c(cmd.special_features())
                 ).replace('....', '    ')


class QAPISchemaGenCommandVisitor(QAPISchemaModularCVisitor):

    def __init__(self, prefix: str) -> None:
        super().__init__(prefix, 'commands',
                         'Schema-defined QAPI/QMP commands', False)
        self._regy = ''
        self._outputs: Dict[str, Dict[str, bool]] = {}

    def _begin_module(self, name: str) -> None:
        base = self._basename(name)
        types = base.replace('qapi-commands', 'qapi-types')
        visit = base.replace('qapi-commands', 'qapi-visit')
        self._genc.add_preamble(mcgen('''
            #include "qemu/osdep.h"
            #include "qapi/error.h"
            #include "qapi/visitor.h"
            #include "qapi/dealloc-visitor.h"
            #include "qapi/qobject-input-visitor.h"
            #include "qapi/qobject-output-visitor.h"
            #include "qobject/qdict.h"
            #include "%(visit)s.h"
            #include "%(base)s.h"

            ''', visit=visit, base=base))
        self._genh.add_preamble(mcgen('''
            #include "qapi/qmp/dispatch.h"
            #include "qobject/qdict.h"
            #include "%(types)s.h"

            ''', types=types))
        self._outputs[name] = {}

    def visit_command(self, cmd: QAPISchemaCommand) -> None:
        if not cmd.gen:
            # As in QEMU, the handler is written by hand with the
            # marshaller's signature and registered by its owner (the
            # monitor registers query-qmp-schema); it is only declared here.
            self._genh.add(gen_if(cmd.ifcond, 'void qmp_%s(QDict *args, '
                                  'QObject **ret, Error **errp);\n'
                                  % c_name(cmd.name)))
            return
        self._genh.add(gen_if(cmd.ifcond, gen_command_decl(cmd) +
                              c_decl('void qmp_marshal_%s' % c_name(cmd.name),
                                     ['QDict *args', 'QObject **ret',
                                      'Error **errp'])))
        seen = self._outputs[self._current]
        text = ''
        if cmd.ret_type and cmd.ret_type.name not in seen:
            seen[cmd.ret_type.name] = True
            text += gen_marshal_output(cmd.ret_type)
        text += gen_marshal(cmd)
        self._genc.add(gen_if(cmd.ifcond, text))
        self._regy += gen_if(cmd.ifcond, gen_register(cmd))

    def init_files(self) -> List[QAPIGenC]:
        """qapi-init-commands.h/.c: the one registration function."""
        base = '%sqapi-init-commands' % self._prefix
        fn = c_name(self._prefix + 'qmp_init_marshal', False)
        genh = QAPIGenH(base + '.h', 'QAPI/QMP command registration')
        genh.add(mcgen('''
            #include "qapi/qmp/dispatch.h"

            /* Register every schema-defined command in @cmds. */
            void %(fn)s(QmpCommandList *cmds);
            ''', fn=fn))
        genc = QAPIGenC(base + '.c', 'QAPI/QMP command registration')
        genc.add(mcgen('''
            #include "qemu/osdep.h"
            #include "%(base)s.h"
            #include "%(cmds)s.h"

            void %(fn)s(QmpCommandList *cmds)
            {
            %(regy)s}
            ''', base=base, fn=fn, regy=self._regy,
                       cmds='%sqapi-commands' % self._prefix))
        return [genc, genh]


def gen_commands(schema: QAPISchema, outdir: str, prefix: str) -> List[str]:
    vis = QAPISchemaGenCommandVisitor(prefix)
    schema.visit(vis)
    vis.write(outdir)
    out = vis.outputs()
    for gen in vis.init_files():
        gen.write(outdir)
        out.append(gen.fname)
    return out
