"""'%r' of an instance would call its __repr__, which is not supported ('%s' calls __str__)."""


class W_Object(object):
    def __str__(self):
        return "object"


def entry_point(argv):
    w = W_Object()
    print("%s" % w)
    print("%r" % w)
    return 0
