# run:
# run: 500
# Accounts of several classes with overridden limits; transfers raise InsufficientFunds / Frozen, a ledger records outcomes.


class BankError(Exception):
    pass


class InsufficientFunds(BankError):
    def __init__(self, account, needed):
        BankError.__init__(self, "%s needs %d more" % (account.owner, needed))
        self.needed = needed


class Frozen(BankError):
    pass


class Account(object):
    overdraft = 0
    fee = 0

    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
        self.frozen = False

    def available(self):
        return self.balance + self.overdraft

    def withdraw(self, amount):
        if self.frozen:
            raise Frozen(self.owner + " is frozen")
        total = amount + self.fee
        if total > self.available():
            raise InsufficientFunds(self, total - self.available())
        self.balance -= total

    def deposit(self, amount):
        if self.frozen:
            raise Frozen(self.owner + " is frozen")
        self.balance += amount


class Checking(Account):
    overdraft = 100
    fee = 1


class Premium(Checking):
    overdraft = 1000
    fee = 0


class Ledger(object):
    def __init__(self):
        self.entries = []
        self.failed = 0

    def transfer(self, src, dst, amount):
        try:
            src.withdraw(amount)
            try:
                dst.deposit(amount)
            except Frozen:
                src.deposit(amount + src.fee)
                raise
        except InsufficientFunds as e:
            self.failed += 1
            self.entries.append("FAIL %s (short %d)" % (str(e), e.needed))
            return False
        except BankError as e:
            self.failed += 1
            self.entries.append("FAIL " + str(e))
            return False
        self.entries.append("%s -> %s: %d" % (src.owner, dst.owner, amount))
        return True


def entry_point(argv):
    big = 300
    if len(argv) > 1:
        big = int(argv[1])
    a = Account("ann", 100)
    b = Checking("bob", 50)
    c = Premium("cat", 0)
    d = Account("dan", 10)
    d.frozen = True
    led = Ledger()
    led.transfer(a, b, 60)
    led.transfer(a, b, 60)
    led.transfer(b, c, 150)
    led.transfer(c, a, big)
    led.transfer(c, d, 5)
    led.transfer(d, a, 1)
    led.transfer(b, a, 1)
    for line in led.entries:
        print(line)
    for acc in [a, b, c, d]:
        print(acc.owner, acc.balance, acc.available())
    print("failed", led.failed)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
