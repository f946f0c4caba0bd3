"""The compiler: Lisp data (from the reader) to AST nodes (interp.py).

It checks the syntax of the special forms and resolves every variable once:

- a ``Scope`` mirrors one run-time ``Frame``: a lambda's parameters, or the variables of
  a ``let``/``letrec``, followed by the variables of the internal ``define``s of the body
  (found by a scan of the body before it is compiled, so they can be mutually
  recursive); a variable found ``depth`` scopes up at slot ``index`` compiles to
  ``LocalRef(name, depth, index)``;
- any other variable is global and compiles to a ``GlobalRef`` of its cell, created
  unbound if need be, so a procedure may refer to a global defined after it.

The special forms are objects in the dict ``special_forms`` (keyword to instance of a
``SpecialForm`` subclass that overrides ``compile``), filled at import time. A keyword
bound as a local variable is an ordinary variable there: ``(let ((if 1)) if)`` is 1.

Derived forms compile to the core nodes: ``let*`` to nested ``Let``s, named ``let`` to a
``Letrec`` of a ``Lambda`` applied to the inits, ``cond`` to ``If``s (and ``Or`` for a
clause with no body), ``define`` of ``(name . params)`` to a named ``Lambda``.
"""

from interp import (
    And,
    App,
    Begin,
    Const,
    DefineGlobal,
    DefineLocal,
    GlobalRef,
    If,
    Lambda,
    Let,
    Letrec,
    LocalRef,
    Or,
    SetGlobal,
    SetLocal,
)
from objects import (
    BadSyntax,
    Code,
    W_Nil,
    W_Pair,
    W_Symbol,
    global_env,
    w_false,
    w_true,
    w_void,
)


class Scope(object):
    """The variables of one frame at compile time, in slot order."""

    def __init__(self, parent):
        self.names = []
        self.parent = parent

    def index_of(self, name):
        """The slot of ``name`` in this scope (not its parents), or -1."""
        for i in range(len(self.names)):
            if self.names[i] == name:
                return i
        return -1

    def add(self, name):
        """Add the variable ``name`` unless it is there already; return its slot."""
        index = self.index_of(name)
        if index < 0:
            index = len(self.names)
            self.names.append(name)
        return index


def is_local(name, scope):
    """Whether ``name`` is a local variable in ``scope`` or an enclosing scope."""
    while scope is not None:
        if scope.index_of(name) >= 0:
            return True
        scope = scope.parent
    return False


# ---------------------------------------------------------------------------------------
# Helpers for taking forms apart


def syntax_error(w_form, message):
    """A ``BadSyntax`` error for ``message``, showing the offending form."""
    return BadSyntax(message + ": " + w_form.to_str())


def form_items(w_form, w_list):
    """The items of the proper list ``w_list``, a part of ``w_form``."""
    items = []
    while isinstance(w_list, W_Pair):
        items.append(w_list.car)
        w_list = w_list.cdr
    if not isinstance(w_list, W_Nil):
        raise syntax_error(w_form, "improper list in a form")
    return items


def symbol_name(w_form, w_item, what):
    """The name of ``w_item``, which must be a symbol (``what`` says what it names)."""
    if not isinstance(w_item, W_Symbol):
        raise syntax_error(w_form, what + " must be a symbol, got " + w_item.to_str())
    return w_item.name


def keyword_of(w_form, scope):
    """The special form that ``w_form`` uses, or None for a call or an atom."""
    if not isinstance(w_form, W_Pair):
        return None
    w_head = w_form.car
    if not isinstance(w_head, W_Symbol):
        return None
    if is_local(w_head.name, scope):
        return None
    return special_forms.get(w_head.name, None)


# ---------------------------------------------------------------------------------------
# Expressions


def compile_toplevel(w_form):
    """Compile a top-level form: its ``define``s bind global variables."""
    return compile_expr(w_form, None)


def compile_expr(w_form, scope):
    """Compile the expression ``w_form`` in ``scope`` (None at top level)."""
    if isinstance(w_form, W_Symbol):
        return compile_ref(w_form.name, scope)
    if isinstance(w_form, W_Pair):
        form = keyword_of(w_form, scope)
        if form is not None:
            return form.compile(w_form, form_items(w_form, w_form.cdr), scope)
        return compile_call(w_form, scope)
    if isinstance(w_form, W_Nil):
        raise syntax_error(w_form, "empty combination")
    return Const(w_form)


def compile_ref(name, scope):
    """A read of the variable ``name``."""
    depth = 0
    while scope is not None:
        index = scope.index_of(name)
        if index >= 0:
            return LocalRef(name, depth, index)
        scope = scope.parent
        depth += 1
    return GlobalRef(global_env.cell(name))


def compile_call(w_form, scope):
    """A procedure call ``(fn arg ...)``."""
    items = form_items(w_form, w_form)
    fn = compile_expr(items[0], scope)
    args = []
    for i in range(1, len(items)):
        args.append(compile_expr(items[i], scope))
    return App(fn, args)


def compile_sequence(forms, start, scope):
    """The forms ``forms[start:]`` in order, as one node; void if there are none."""
    if start >= len(forms):
        return Const(w_void)
    body = []
    for i in range(start, len(forms) - 1):
        body.append(compile_expr(forms[i], scope))
    last = compile_expr(forms[len(forms) - 1], scope)
    if len(body) == 0:
        return last
    return Begin(body, last)


def compile_body(w_form, forms, start, scope):
    """The body ``forms[start:]`` of a lambda or let whose own frame is ``scope``.

    The variables of the body's ``define``s (also inside ``begin``) are added to
    ``scope`` first. A body must not be empty.
    """
    if start >= len(forms):
        raise syntax_error(w_form, "empty body")
    for i in range(start, len(forms)):
        declare_definitions(forms[i], scope)
    return compile_sequence(forms, start, scope)


def declare_definitions(w_form, scope):
    """Add to ``scope`` the variables that the body form ``w_form`` defines."""
    form = keyword_of(w_form, scope)
    if form is None:
        return
    assert isinstance(w_form, W_Pair)
    if form.keyword == "define":
        items = form_items(w_form, w_form.cdr)
        if len(items) > 0:
            w_target = items[0]
            if isinstance(w_target, W_Pair):
                w_target = w_target.car
            scope.add(symbol_name(w_form, w_target, "the defined name"))
    elif form.keyword == "begin":
        items = form_items(w_form, w_form.cdr)
        for w_item in items:
            declare_definitions(w_item, scope)


def compile_lambda(w_form, name, w_params, forms, start, scope):
    """A ``Lambda`` node with parameters ``w_params`` and body ``forms[start:]``."""
    inner = Scope(scope)
    nparams = 0
    has_rest = False
    while isinstance(w_params, W_Pair):
        add_parameter(w_form, inner, w_params.car)
        nparams += 1
        w_params = w_params.cdr
    if not isinstance(w_params, W_Nil):
        add_parameter(w_form, inner, w_params)
        has_rest = True
    body = compile_body(w_form, forms, start, inner)
    return Lambda(Code(name, nparams, has_rest, len(inner.names), body))


def add_parameter(w_form, scope, w_param):
    """Add the parameter ``w_param`` to ``scope``, rejecting a duplicate."""
    name = symbol_name(w_form, w_param, "a parameter")
    if scope.index_of(name) >= 0:
        raise syntax_error(w_form, "duplicate parameter " + name)
    scope.add(name)


def parse_bindings(w_form, w_bindings, scope, inits):
    """Add the names of ``((name init) ...)`` to ``scope`` and their inits to ``inits``.

    ``scope`` is the new, still empty, scope of the binding form; a name bound twice is
    an error.
    """
    for w_binding in form_items(w_form, w_bindings):
        parts = form_items(w_form, w_binding)
        if len(parts) != 2:
            raise syntax_error(w_form, "a binding must be (name value)")
        name = symbol_name(w_form, parts[0], "a bound name")
        if scope.index_of(name) >= 0:
            raise syntax_error(w_form, "duplicate binding of " + name)
        scope.add(name)
        inits.append(parts[1])


# ---------------------------------------------------------------------------------------
# Special forms


class SpecialForm(object):
    """A special form; subclasses set ``keyword`` and override ``compile``."""

    keyword = ""

    def compile(self, w_form, operands, scope):
        """Compile ``w_form``, whose operands (the items after the keyword) are given."""
        raise NotImplementedError("compile")


class QuoteForm(SpecialForm):
    """``(quote datum)``."""

    keyword = "quote"

    def compile(self, w_form, operands, scope):
        if len(operands) != 1:
            raise syntax_error(w_form, "quote: expected one operand")
        return Const(operands[0])


class IfForm(SpecialForm):
    """``(if test consequent [alternative])``."""

    keyword = "if"

    def compile(self, w_form, operands, scope):
        if len(operands) != 2 and len(operands) != 3:
            raise syntax_error(w_form, "if: expected 2 or 3 operands")
        test = compile_expr(operands[0], scope)
        consequent = compile_expr(operands[1], scope)
        if len(operands) == 3:
            alternative = compile_expr(operands[2], scope)
        else:
            alternative = Const(w_void)
        return If(test, consequent, alternative)


class DefineForm(SpecialForm):
    """``(define name value)`` and ``(define (name . params) body ...)``."""

    keyword = "define"

    def compile(self, w_form, operands, scope):
        if len(operands) < 2:
            raise syntax_error(w_form, "define: expected a name and a value")
        w_target = operands[0]
        if isinstance(w_target, W_Pair):
            name = symbol_name(w_form, w_target.car, "the defined name")
            value = compile_lambda(w_form, name, w_target.cdr, operands, 1, scope)
        else:
            name = symbol_name(w_form, w_target, "the defined name")
            if len(operands) != 2:
                raise syntax_error(w_form, "define: expected a name and one value")
            value = compile_named(operands[1], name, scope)
        if scope is None:
            return DefineGlobal(global_env.cell(name), value)
        index = scope.index_of(name)
        if index < 0:
            raise syntax_error(w_form, "define: only allowed at top level or in a body")
        return DefineLocal(index, value)


def compile_named(w_value, name, scope):
    """Compile ``w_value``, naming it ``name`` if it is a lambda (for error messages)."""
    form = keyword_of(w_value, scope)
    if form is not None and form.keyword == "lambda":
        assert isinstance(w_value, W_Pair)
        operands = form_items(w_value, w_value.cdr)
        if len(operands) >= 2:
            return compile_lambda(w_value, name, operands[0], operands, 1, scope)
    return compile_expr(w_value, scope)


class SetForm(SpecialForm):
    """``(set! name value)``."""

    keyword = "set!"

    def compile(self, w_form, operands, scope):
        if len(operands) != 2:
            raise syntax_error(w_form, "set!: expected a name and a value")
        name = symbol_name(w_form, operands[0], "the assigned name")
        value = compile_expr(operands[1], scope)
        depth = 0
        while scope is not None:
            index = scope.index_of(name)
            if index >= 0:
                return SetLocal(name, depth, index, value)
            scope = scope.parent
            depth += 1
        return SetGlobal(global_env.cell(name), value)


class LambdaForm(SpecialForm):
    """``(lambda params body ...)``; ``params`` may be a symbol or a dotted list."""

    keyword = "lambda"

    def compile(self, w_form, operands, scope):
        if len(operands) < 2:
            raise syntax_error(w_form, "lambda: expected parameters and a body")
        return compile_lambda(w_form, "lambda", operands[0], operands, 1, scope)


class BeginForm(SpecialForm):
    """``(begin form ...)``."""

    keyword = "begin"

    def compile(self, w_form, operands, scope):
        return compile_sequence(operands, 0, scope)


class LetForm(SpecialForm):
    """``(let ((name init) ...) body ...)`` and named ``(let loop (...) body ...)``."""

    keyword = "let"

    def compile(self, w_form, operands, scope):
        if len(operands) < 2:
            raise syntax_error(w_form, "let: expected bindings and a body")
        w_first = operands[0]
        if isinstance(w_first, W_Symbol):
            return self.compile_named_let(w_form, w_first.name, operands, scope)
        inner = Scope(scope)
        init_forms = []
        parse_bindings(w_form, w_first, inner, init_forms)
        inits = []
        for w_init in init_forms:
            inits.append(compile_expr(w_init, scope))
        body = compile_body(w_form, operands, 1, inner)
        return Let(inits, len(inner.names), body)

    def compile_named_let(self, w_form, name, operands, scope):
        """``(let loop ((name init) ...) body ...)``, as
        ``((letrec ((loop (lambda (name ...) body ...))) loop) init ...)``."""
        if len(operands) < 3:
            raise syntax_error(w_form, "let: expected a name, bindings and a body")
        loop_scope = Scope(scope)
        loop_scope.add(name)
        inner = Scope(loop_scope)
        init_forms = []
        parse_bindings(w_form, operands[1], inner, init_forms)
        nparams = len(init_forms)
        body = compile_body(w_form, operands, 2, inner)
        code = Code(name, nparams, False, len(inner.names), body)
        loop = Letrec([Lambda(code)], 1, LocalRef(name, 0, 0))
        inits = []
        for w_init in init_forms:
            inits.append(compile_expr(w_init, scope))
        return App(loop, inits)


class LetStarForm(SpecialForm):
    """``(let* ((name init) ...) body ...)``: one nested ``Let`` per binding."""

    keyword = "let*"

    def compile(self, w_form, operands, scope):
        if len(operands) < 2:
            raise syntax_error(w_form, "let*: expected bindings and a body")
        bindings = form_items(w_form, operands[0])
        inits = []
        scopes = []
        current = scope
        for w_binding in bindings:
            parts = form_items(w_form, w_binding)
            if len(parts) != 2:
                raise syntax_error(w_form, "a binding must be (name value)")
            name = symbol_name(w_form, parts[0], "a bound name")
            inits.append(compile_expr(parts[1], current))
            current = Scope(current)
            current.add(name)
            scopes.append(current)
        if len(scopes) == 0:
            # (let* () body ...) still gives the body its own scope for its defines.
            current = Scope(scope)
            body = compile_body(w_form, operands, 1, current)
            return Let([], len(current.names), body)
        node = compile_body(w_form, operands, 1, scopes[len(scopes) - 1])
        i = len(scopes) - 1
        while i >= 0:
            node = Let([inits[i]], len(scopes[i].names), node)
            i -= 1
        return node


class LetrecForm(SpecialForm):
    """``(letrec ((name init) ...) body ...)`` (with ``letrec*`` semantics)."""

    keyword = "letrec"

    def compile(self, w_form, operands, scope):
        if len(operands) < 2:
            raise syntax_error(w_form, self.keyword + ": expected bindings and a body")
        inner = Scope(scope)
        init_forms = []
        parse_bindings(w_form, operands[0], inner, init_forms)
        inits = []
        for i in range(len(init_forms)):
            inits.append(compile_named(init_forms[i], inner.names[i], inner))
        body = compile_body(w_form, operands, 1, inner)
        return Letrec(inits, len(inner.names), body)


class LetrecStarForm(LetrecForm):
    """``(letrec* ...)``, the same as ``letrec`` here."""

    keyword = "letrec*"


class CondForm(SpecialForm):
    """``(cond (test body ...) ... [(else body ...)])``; ``(test)`` gives the test's value."""

    keyword = "cond"

    def compile(self, w_form, operands, scope):
        node = Const(w_void)
        i = len(operands) - 1
        while i >= 0:
            clause = form_items(w_form, operands[i])
            if len(clause) == 0:
                raise syntax_error(w_form, "cond: empty clause")
            w_test = clause[0]
            is_else = isinstance(w_test, W_Symbol) and w_test.name == "else"
            if is_else and not is_local("else", scope):
                if i != len(operands) - 1:
                    raise syntax_error(w_form, "cond: else must be the last clause")
                if len(clause) < 2:
                    raise syntax_error(w_form, "cond: empty else clause")
                node = compile_sequence(clause, 1, scope)
            elif len(clause) == 1:
                node = Or([compile_expr(w_test, scope)], node)
            else:
                test = compile_expr(w_test, scope)
                node = If(test, compile_sequence(clause, 1, scope), node)
            i -= 1
        return node


class AndForm(SpecialForm):
    """``(and e ...)``: #t when empty."""

    keyword = "and"

    def compile(self, w_form, operands, scope):
        if len(operands) == 0:
            return Const(w_true)
        tests = []
        for i in range(len(operands) - 1):
            tests.append(compile_expr(operands[i], scope))
        last = compile_expr(operands[len(operands) - 1], scope)
        if len(tests) == 0:
            return last
        return And(tests, last)


class OrForm(SpecialForm):
    """``(or e ...)``: #f when empty."""

    keyword = "or"

    def compile(self, w_form, operands, scope):
        if len(operands) == 0:
            return Const(w_false)
        tests = []
        for i in range(len(operands) - 1):
            tests.append(compile_expr(operands[i], scope))
        last = compile_expr(operands[len(operands) - 1], scope)
        if len(tests) == 0:
            return last
        return Or(tests, last)


SPECIAL_FORM_CLASSES = [
    QuoteForm,
    IfForm,
    DefineForm,
    SetForm,
    LambdaForm,
    BeginForm,
    LetForm,
    LetStarForm,
    LetrecForm,
    LetrecStarForm,
    CondForm,
    AndForm,
    OrForm,
]

special_forms = {}
for _cls in SPECIAL_FORM_CLASSES:
    special_forms[_cls.keyword] = _cls()
