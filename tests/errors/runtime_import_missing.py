"""An import inside a run-time function of a module that does not exist."""


def helper():
    from nosuchmodule import thing
    return thing


def entry_point(argv):
    return helper()
