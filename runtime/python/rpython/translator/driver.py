"""``rpython.translator.driver`` for Kiln: the ``TranslationDriver`` a target receives.

A target file run directly under CPython calls its own ``target(TranslationDriver(),
sys.argv)``, as PySOM's ``main_rpython.py`` does. ``kiln translate`` passes an object of
the same shape: ``config.translation.jit`` is whether ``--jit`` was given (never under
CPython) and ``exe_name``, which the target may set, names the executable.
"""


class _Namespace(object):
    def __init__(self, **attrs):
        self.__dict__.update(attrs)


class TranslationDriver(object):
    def __init__(self):
        self.config = _Namespace(translation=_Namespace(jit=False))
        self.exe_name = None
