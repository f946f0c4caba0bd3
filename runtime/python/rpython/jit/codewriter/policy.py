"""``rpython.jit.codewriter.policy`` for Kiln: ``JitPolicy``, what ``jitpolicy(driver)``
returns. Kiln's JIT reads no policy yet: the class exists so that targets import it."""


class JitPolicy(object):
    pass
