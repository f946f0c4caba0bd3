# run:
# Explicit Base.method(self, ...) calls from overriding methods, including __init__.


class Account(object):
    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
        self.history = []

    def deposit(self, amount):
        self.balance += amount
        self.history.append(amount)
        return self.balance

    def withdraw(self, amount):
        if amount > self.balance:
            return -1
        self.balance -= amount
        self.history.append(-amount)
        return self.balance

    def report(self):
        return "%s: %d (%d ops)" % (self.owner, self.balance, len(self.history))


class SavingsAccount(Account):
    def __init__(self, owner, balance, rate):
        Account.__init__(self, owner, balance)
        self.rate = rate

    def deposit(self, amount):
        bonus = amount * self.rate // 100
        return Account.deposit(self, amount + bonus)

    def report(self):
        return Account.report(self) + " rate=%d%%" % self.rate


class LimitedAccount(SavingsAccount):
    def __init__(self, owner, balance, rate, limit):
        SavingsAccount.__init__(self, owner, balance, rate)
        self.limit = limit

    def withdraw(self, amount):
        if amount > self.limit:
            return -2
        return Account.withdraw(self, amount)

    def report(self):
        return SavingsAccount.report(self) + " limit=%d" % self.limit


def run(acc):
    acc.deposit(100)
    r1 = acc.withdraw(30)
    r2 = acc.withdraw(500)
    r3 = acc.withdraw(60)
    print(acc.report(), r1, r2, r3)


def entry_point(argv):
    run(Account("ann", 10))
    run(SavingsAccount("bob", 10, 5))
    run(LimitedAccount("cid", 10, 10, 50))
    accs = [Account("x", 1), SavingsAccount("y", 2, 50), LimitedAccount("z", 3, 20, 5)]
    for a in accs:
        for i in range(3):
            a.deposit(i * 10)
        a.withdraw(7)
        print(a.report(), a.history)
    return 0


if __name__ == "__main__":
    import sys
    sys.exit(entry_point(sys.argv))
