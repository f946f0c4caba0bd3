# run:
# run: 7 8
# RPython's target convention: translation starts from what target(driver, args) returns,
# and the target reads driver.config.translation.jit and names the executable.
import sys

MODE = "interp"


def entry_point(argv):
    total = 0
    for a in argv[1:]:
        total += int(a)
    print(MODE, total)
    return 0


def target(driver, _args):
    global MODE
    if driver.config.translation.jit:
        MODE = "jit"
    driver.exe_name = "target-" + MODE
    return entry_point, None


def jitpolicy(_driver):
    from rpython.jit.codewriter.policy import JitPolicy

    return JitPolicy()


if __name__ == "__main__":
    from rpython.translator.driver import TranslationDriver

    f, _ = target(TranslationDriver(), sys.argv)
    sys.exit(f(sys.argv))
